// School terms, for the admin and the SENCO: the provision map counts planned sessions only in
// term weeks, so the dates matter. Add, correct or delete a term; terms never overlap.
import * as api from '../api.js';
import { asOf, cachedGet } from '../cache.js';
import { session } from '../state.js';
import { announce, field, h, input, saveOnce } from '../ui.js';
import { friendlyDate, plural } from '../words.js';
import { confirmDialog } from './record.js';
import { notForRole, offlineNote, serverProblems, SETTINGS, showFieldProblems, textProblem } from '../settings.js';

const RULES = SETTINGS.term.fields;
const LABELS = { name: 'Name', starts_on: 'First day', ends_on: 'Last day' };
const DAY_MS = 24 * 60 * 60 * 1000;
const weeksOf = (t) => Math.ceil((Date.parse(t.ends_on) - Date.parse(t.starts_on) + DAY_MS) / (7 * DAY_MS));

export async function render(main, ctx) {
  if (notForRole(main, 'School terms', ['admin', 'senco'], session.staff.role)) return;
  main.append(h('h1', {}, 'School terms'));
  const result = await cachedGet('settings-terms', '/api/v1/terms/');
  if (!result) {
    main.append(h('p', { class: 'panel' }, 'No saved copy yet. Open this page once while online.'));
    return;
  }
  const terms = result.data.slice().sort((a, b) => a.starts_on.localeCompare(b.starts_on));
  const editing = ctx.arg ? terms.find((t) => String(t.id) === ctx.arg) : null;
  main.append(asOf(result), offlineNote() || '',
    h('p', {}, 'The provision map counts the sessions a group should have had in term weeks only, '
      + 'so keep these dates right. Half terms can be separate terms.'),
    terms.length ? h('ul', { class: 'plain', id: 'term-list' }, terms.map((t) => h('li', { class: 'card term-card' },
      h('h2', {}, t.name),
      h('p', {}, `${friendlyDate(t.starts_on)} to ${friendlyDate(t.ends_on)} · ${plural(weeksOf(t), 'week')}`),
      h('div', { class: 'button-row' },
        h('a', { class: 'button secondary', href: `#/terms/${t.id}` }, `Change ${t.name}`),
        h('button', { type: 'button', class: 'button secondary', onclick: () => remove(t, ctx) }, `Delete ${t.name}`)))))
      : h('p', {}, 'No terms yet. Add the first one below.'),
    termForm(editing, terms, ctx));
  if (editing) main.querySelector('#term-form input')?.focus();
}

async function remove(term, ctx) {
  if (!(await confirmDialog(`Delete ${term.name}? Its weeks stop counting as term time in the provision map.`,
    'Delete the term'))) return;
  try {
    await api.request('DELETE', `/api/v1/terms/${term.id}`);
    announce(`Deleted ${term.name}.`);
    ctx.go('terms');
  } catch (err) {
    announce(err.kind === 'network' ? 'No connection: nothing was deleted. Try again when online.' : err.message, 'error');
  }
}

function termForm(term, terms, ctx) {
  const controls = {
    name: input({ name: 'name', value: term ? term.name : '' }),
    starts_on: input({ type: 'date', name: 'starts_on', value: term ? term.starts_on : '' }),
    ends_on: input({ type: 'date', name: 'ends_on', value: term ? term.ends_on : '' }),
  };
  const wrappers = {
    name: field('Name', controls.name, 'For example: Autumn 1 2026.'),
    starts_on: field('First day', controls.starts_on),
    ends_on: field('Last day', controls.ends_on),
  };
  const errors = h('div', { class: 'error-slot' });
  const form = h('form', { novalidate: true, id: 'term-form', onsubmit: saveOnce(() => save()) },
    h('div', { class: 'grid' }, wrappers.name, wrappers.starts_on, wrappers.ends_on), errors,
    h('div', { class: 'button-row' }, h('button', { type: 'submit', class: 'button' }, term ? `Save ${term.name}` : 'Add the term'),
      term ? h('a', { class: 'button secondary', href: '#/terms' }, 'Cancel') : null));

  /** The server's rules, checked first in the same words: dates in order, no overlap. */
  const check = (data) => {
    const found = [{ where: wrappers.name, message: textProblem('Name', data.name, RULES.name) },
      { where: wrappers.starts_on, message: data.starts_on ? null : 'First day: choose the date the term starts.' },
      { where: wrappers.ends_on, message: data.ends_on ? null : 'Last day: choose the date the term ends.' }];
    if (data.starts_on && data.ends_on) {
      if (data.ends_on < data.starts_on) found.push({ where: wrappers.ends_on, message: 'Last day: the term cannot end before it starts.' });
      const clash = terms.find((t) => (!term || t.id !== term.id) && t.starts_on <= data.ends_on && t.ends_on >= data.starts_on);
      if (clash) {
        found.push({ where: wrappers.starts_on, message: `These dates overlap ${clash.name} `
          + `(${friendlyDate(clash.starts_on)} to ${friendlyDate(clash.ends_on)}).` });
      }
    }
    return found.filter((p) => p.message);
  };

  async function save() {
    const data = { name: controls.name.value.trim(), starts_on: controls.starts_on.value, ends_on: controls.ends_on.value };
    if (!showFieldProblems(form, errors, check(data))) return false;
    try {
      if (term) await api.request('PATCH', `/api/v1/terms/${term.id}`, { json: data });
      else await api.post('/api/v1/terms/', data);
    } catch (err) {
      showFieldProblems(form, errors, serverProblems(err, wrappers, LABELS));
      return false;
    }
    announce(term ? `Saved ${data.name}.` : `Added ${data.name}.`);
    ctx.go('terms');
    return true;
  }
  return h('section', { 'aria-labelledby': 'term-form-heading' },
    h('h2', { id: 'term-form-heading' }, term ? `Change ${term.name}` : 'Add a term'), form);
}
