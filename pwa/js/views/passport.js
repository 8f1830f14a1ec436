// A pupil's passport (one-page profile), "#/passport/<pupil id>". The SENCO and teachers edit it
// online: every field with the suggestions the server found in pupil voice and conversations
// beside it, agreement and sharing, stale edits side by side, print. TAs read it; offline, the
// last saved copy is shown to read.
import * as db from '../db.js';
import { asOf, cachedGet } from '../cache.js';
import { fieldCard } from '../passport-field.js';
import { statusSection } from '../passport-status.js';
import { computedValue, statusFacts } from '../passport-words.js';
import { session } from '../state.js';
import { field, h, personName, select } from '../ui.js';
import { yearWords } from '../words.js';

let chosen = '';
const EDITORS = ['senco', 'teacher'];  // server/policy.py EDIT_PASSPORTS; the server decides again

function printButton(pupilId) {
  return h('div', { class: 'button-row' }, h('a', { class: 'button secondary', id: 'print-passport', target: '_blank',
    rel: 'noopener', href: `/api/v1/pupils/${pupilId}/passport/print` }, 'Print passport'),
  h('span', { class: 'hint print-hint' }, 'Prints what is saved, on one side of A4.'));
}

function recordsCard(p) {
  const computed = p.order.filter((name) => p.fields[name] && p.fields[name].computed);
  return h('section', { class: 'card', 'aria-labelledby': 'records-heading' },
    h('h2', { id: 'records-heading' }, 'From the school’s records'),
    h('p', { class: 'hint' }, 'These come from the register, targets and groups: change them there.'),
    h('dl', { class: 'record-rows' }, computed.flatMap((name) => [h('dt', {}, p.fields[name].label),
      h('dd', {}, computedValue(name, p.fields[name]))])));
}

async function keep(pupilId, data) {
  await db.putRecords('cache', [[`passport:${pupilId}`, { data, fetchedAt: new Date().toISOString() }]]);
}

function readOnly(p) {
  const written = p.order.filter((name) => p.fields[name] && !p.fields[name].computed);
  return [h('ul', { class: 'facts' }, statusFacts(p).map((fact) => h('li', {}, fact))),
    ...written.map((name) => h('section', { class: 'card' }, h('h2', {}, p.fields[name].label),
      h('p', { class: 'value' }, p.fields[name].value || 'Not written yet.')))];
}

async function show(area, pupil) {
  area.replaceChildren(h('p', {}, 'Loading…'));
  const result = await cachedGet(`passport:${pupil.id}`, `/api/v1/pupils/${pupil.id}/passport`);
  if (!result) {
    area.replaceChildren(h('p', { class: 'panel' }, 'No saved copy of this passport. Open it once while online.'));
    return;
  }
  const p = result.data;
  const canEdit = EDITORS.includes(session.staff.role) && result.fresh;
  const intro = [asOf(result),
    h('p', {}, h('a', { class: 'pupil-link', href: `#/pupil-page/${pupil.id}` }, `${personName(pupil)}'s page`),
      ': groups, pupil voice, conversations and learning walks'),
    !result.fresh && EDITORS.includes(session.staff.role)
      ? h('p', { class: 'panel notice' }, 'You are offline: this is the saved copy to read. Editing needs a connection.') : null,
    printButton(pupil.id)];
  if (!canEdit) {
    area.replaceChildren(...intro.filter(Boolean), recordsCard(p), ...readOnly(p));
    return;
  }
  let status = null;
  const onPassport = (fresh) => { keep(pupil.id, fresh); if (status) status.update(fresh); };
  status = statusSection({ pupilId: pupil.id, passport: p, canEdit, onPassport: (fresh) => keep(pupil.id, fresh) });
  const written = p.order.filter((name) => p.fields[name] && !p.fields[name].computed);
  const waiting = written.reduce((n, name) => n + (p.fields[name].suggestions || []).length, 0);
  // Jump straight to the fields with suggestions (buttons, not links: the hash is the route).
  const jump = (name) => () => {
    const heading = area.querySelector(`#field-${name} h2 label, #field-${name} h2`);
    area.querySelector(`#field-${name}`).scrollIntoView({ block: 'start' });
    const box = area.querySelector(`#field-${name} textarea`);
    if (box) box.focus({ preventScroll: true }); else if (heading) heading.focus();
  };
  const withSuggestions = written.filter((name) => (p.fields[name].suggestions || []).length);
  area.replaceChildren(...intro.filter(Boolean), status,
    h('div', { class: 'panel', id: 'suggestion-count' }, h('p', {}, waiting
      ? `${waiting === 1 ? 'One suggestion' : `${waiting} suggestions`} from pupil voice and conversations with parents ${waiting === 1 ? 'is' : 'are'} waiting beside ${withSuggestions.length === 1 ? 'this field' : 'these fields'}:`
      : 'No suggestions are waiting: what pupil voice and conversations with parents say shows beside each field.'),
    withSuggestions.length ? h('div', { class: 'button-row jump' }, withSuggestions.map((name) => h('button', {
      type: 'button', class: 'button secondary', onclick: jump(name) }, p.fields[name].label))) : null),
    recordsCard(p),
    ...written.map((name) => fieldCard({ pupilId: pupil.id, name, passport: p, canEdit,
      canResolve: session.staff.role === 'senco', onPassport })));
}

export async function render(main, ctx = {}) {
  main.classList.add('casework');
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
    // The address names the pupil, so it can be bookmarked, shared and opened again.
    if (chosen && ctx.go) ctx.go('passport', chosen);
    else if (chosen) show(area, byId(chosen)); else area.replaceChildren();
  });
  main.append(field('Pupil', picker), area);
  if (chosen && byId(chosen)) await show(area, byId(chosen));
}
