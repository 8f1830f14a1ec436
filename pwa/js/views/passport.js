// A pupil's passport (one-page profile), read-only here: fetched when online and kept for offline.
// "#/passport/<pupil id>" opens one pupil's; the pupil's name links to their page.
import * as db from '../db.js';
import { asOf, cachedGet } from '../cache.js';
import { field, h, personName, select } from '../ui.js';
import { friendlyDate, yearWords } from '../words.js';

let chosen = '';

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

// Dates read in the app's one style (js/words.js).
const day = friendlyDate;

// Each item in words: a support line as the print has it, a target by its wording.
function itemText(item) {
  if (typeof item === 'string') return item;
  if (item.intervention) {
    const since = item.since ? `, since ${day(item.since)}` : '';
    return `${item.intervention} (${item.group}): ${item.frequency}${since}`;
  }
  return item.text || item.label || '—';
}

function valueText(name, v) {
  if (name === 'photo') return v ? 'Consent given' : 'No consent: no photo';
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  if (typeof v === 'string' && ISO_DAY.test(v)) return day(v);
  return String(v);
}

function fieldValue(name, f) {
  if (Array.isArray(f.items)) {
    return f.items.length
      ? h('ul', { class: 'list' }, f.items.map((item) => h('li', {}, itemText(item))))
      : h('p', {}, '—');
  }
  const v = f.value;
  if (v === null || v === undefined || v === '') return h('p', {}, '—');
  return h('p', {}, valueText(name, v));
}

async function show(area, pupil) {
  const pupilId = pupil.id;
  area.replaceChildren(h('p', {}, 'Loading…'));
  const result = await cachedGet(`passport:${pupilId}`, `/api/v1/pupils/${pupilId}/passport`);
  if (!result) {
    area.replaceChildren(h('p', {}, 'No saved copy of this passport. Open it once while online.'));
    return;
  }
  const p = result.data;
  const fields = p.fields || {};
  const order = p.order && p.order.length ? p.order : Object.keys(fields);
  area.replaceChildren(asOf(result),
    h('p', {}, h('a', { class: 'pupil-link', href: `#/pupil-page/${pupilId}` }, `${personName(pupil)}'s page`),
      ': groups, pupil voice, conversations and learning walks'),
    h('p', {}, h('strong', {}, 'Status: '), { draft: 'Draft', agreed: 'Agreed' }[p.status] || p.status || '—', p.agreed_on ? ` · agreed ${day(p.agreed_on)}` : ''),
    h('div', { class: 'button-row' }, h('a', { class: 'button', id: 'print-passport', target: '_blank',
      rel: 'noopener', href: `/api/v1/pupils/${pupilId}/passport/print` }, 'Print passport')),
    ...order.filter((name) => fields[name]).map((name) => h('section', { class: 'card' },
      h('h2', {}, fields[name].label || name), fieldValue(name, fields[name]))));
}

export async function render(main, ctx = {}) {
  const pupils = (await db.getRecords('pupil')).sort((a, b) => a.surname.localeCompare(b.surname));
  if (ctx.arg && pupils.some((p) => String(p.id) === ctx.arg)) chosen = ctx.arg;
  main.append(h('h1', {}, 'Pupil passport'));
  if (!pupils.length) { main.append(h('p', {}, 'No pupils yet. Sync when online.')); return; }
  const area = h('div', { id: 'passport-view' });
  const picker = select({ name: 'pupil', id: 'passport-pupil' },
    [['', 'Choose a pupil'], ...pupils.map((p) => [p.id, `${personName(p)} (${yearWords(p.year_group)})`])], chosen);
  const byId = (id) => pupils.find((p) => String(p.id) === id);
  picker.addEventListener('change', () => {
    chosen = picker.value;
    if (chosen) show(area, byId(chosen)); else area.replaceChildren();
  });
  main.append(field('Pupil', picker), area);
  if (chosen && byId(chosen)) await show(area, byId(chosen));
}
