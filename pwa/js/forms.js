// Forms that save straight to the server (the SENCO's workspace: interventions, groups,
// enrolments). Each problem is shown twice, beside its field and in the list above the Save
// button, in plain words; the server's refusal lands in the same places. Nothing typed is
// cleared when a save fails: the form stays as it was.
import { request } from './api.js';
import { errorList, h, nextId } from './ui.js';

/** A labelled control with a slot for its problem. name: the server's field name. */
export function formField(label, control, { hint, name } = {}) {
  const id = control.id || (control.id = nextId());
  const hintEl = hint ? h('span', { class: 'hint', id: `${id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field', dataset: { field: name || control.name || '' } },
    h('label', { for: id }, label), hintEl, control);
}

/** A fieldset of controls (days, outcome, staff) with a slot for its problem. */
export function formGroup(legend, children, { hint, name, extraClass = '' } = {}) {
  const hintId = hint ? nextId('hint') : null;
  return h('fieldset', { class: `field-set ${extraClass}`, dataset: { field: name || '' },
    'aria-describedby': hintId },
  h('legend', {}, legend), hint ? h('span', { class: 'hint', id: hintId }, hint) : null, children);
}

function clear(form) {
  form.querySelectorAll('.field-problem').forEach((el) => el.remove());
  form.querySelectorAll('[aria-invalid]').forEach((el) => el.removeAttribute('aria-invalid'));
  form.querySelectorAll('[data-problem-for]').forEach((el) => {
    const ids = (el.getAttribute('aria-describedby') || '').split(' ').filter((i) => i && !i.endsWith('-problem'));
    if (ids.length) el.setAttribute('aria-describedby', ids.join(' ')); else el.removeAttribute('aria-describedby');
    el.removeAttribute('data-problem-for');
  });
}

function mark(form, name, message) {
  const box = name ? form.querySelector(`[data-field="${CSS.escape(name)}"]`) : null;
  if (!box) return false;
  const note = h('p', { class: 'field-problem', id: nextId('p') + '-problem' },
    h('span', { 'aria-hidden': 'true' }, '■ '), message);
  box.append(note);
  for (const control of box.querySelectorAll('input, select, textarea')) {
    control.setAttribute('aria-invalid', 'true');
    control.dataset.problemFor = name;
    const ids = new Set((control.getAttribute('aria-describedby') || '').split(' ').filter(Boolean));
    ids.add(note.id);
    control.setAttribute('aria-describedby', [...ids].join(' '));
  }
  return true;
}

/**
 * problems: [[field name or null, message]]. Each goes beside its field and into the list in
 * `slot`, which takes focus so it is read out. True when there are none.
 */
export function showFormProblems(form, slot, problems) {
  clear(form);
  for (const [name, message] of problems) mark(form, name, message);
  const list = errorList(problems.map(([, message]) => message));
  slot.replaceChildren(list);
  if (problems.length) { list.tabIndex = -1; list.focus(); }
  return problems.length === 0;
}

// The schema library's stock phrases, as a person would say them.
const PLAIN = [
  [/^Missing data for required field\.$/, 'This is needed.'],
  [/^Not a valid (date|integer|number)\.$/, 'This is not a valid $1.'],
  [/^Must be one of: .*$/, 'Choose one of the options.'],
  [/^Field may not be null\.$/, 'This is needed.'],
];
const plain = (message) => PLAIN.reduce((text, [pattern, words]) => text.replace(pattern, words), message);

/** Flatten {entry_data: {score: [..]}} to [["entry_data.score", message]]. */
function flatten(errors, prefix = '') {
  if (Array.isArray(errors)) return errors.filter((m) => typeof m === 'string').map((m) => [prefix, plain(m)]);
  if (!errors || typeof errors !== 'object') return [];
  return Object.entries(errors).flatMap(([key, value]) => flatten(value,
    key === '_schema' ? prefix : (prefix ? `${prefix}.${key}` : key)));
}

/**
 * The server's refusal as problems. labels: {field name: label} to start each message with, so
 * the list above Save says which field; a field this form does not show keeps the message alone.
 */
export function serverFormProblems(err, labels = {}) {
  if (err.kind === 'network') return [[null, 'No connection to the server: nothing was saved. Everything you typed is still here; save again when online.']];
  if (err.kind === 'auth') return [[null, 'Your session has ended: log in again in another tab, then save. Everything you typed is still here.']];
  if (err.kind === 'server') return [[null, 'The server could not save this just now. Everything you typed is still here; try again in a moment.']];
  const found = flatten(err.errors || {}).map(([name, message]) => {
    const label = labels[name] || labels[name.split('.')[0]];
    return [name, label ? `${label}: ${message}` : message];
  });
  return found.length ? found : [[null, err.message]];
}

/** Send JSON; resolves {data} or {error} (an ApiError), never throws. */
export async function send(method, path, json) {
  try {
    return { data: await request(method, path, { json }) };
  } catch (error) {
    return { error };
  }
}

/** Pounds typed as "14.50" -> 1450 pence; null when empty; NaN when not money. */
export function pence(text) {
  const value = String(text || '').trim().replace(/^£/, '');
  if (!value) return null;
  return /^\d{1,7}(\.\d{1,2})?$/.test(value) ? Math.round(Number(value) * 100) : NaN;
}

/** 1450 -> "14.50" for a money input. */
export const pounds = (p) => (p === null || p === undefined ? '' : (p / 100).toFixed(2));

/** A note for screens that change things on the server. */
export function onlineNote() {
  return navigator.onLine ? null : h('p', { class: 'panel notice' },
    'You are offline: you can read the saved copy, but changes need a connection.');
}

const count = (n) => Number(n).toLocaleString('en-GB');

/** [field, message] when a text breaks the server's rule for it (required, lengths), or null. */
export function textProblem(name, label, value, rule = {}) {
  const length = [...(value || '')].length;
  if (!length) return rule.required ? [name, `${label} is needed.`] : null;  // empty optional text is sent as null
  if (rule.maxLength !== undefined && length > rule.maxLength) {
    return [name, `${label} is too long: ${count(length)} characters, at most ${count(rule.maxLength)}.`];
  }
  return null;
}

/** [field, message] when a number is missing or outside the server's range, or null. */
export function numberProblem(name, label, value, rule = {}) {
  if (value === null || value === undefined || value === '') return rule.required ? [name, `${label} is needed.`] : null;
  if (!Number.isInteger(value)) return [name, `${label} must be a whole number.`];
  if ((rule.min !== undefined && value < rule.min) || (rule.max !== undefined && value > rule.max)) {
    return [name, `${label} must be from ${count(rule.min)} to ${count(rule.max)}.`];
  }
  return null;
}

/** [field, message] when pence (from pence()) are not money within the server's range, or null. */
export function moneyProblem(name, label, value, rule = {}) {
  if (value === null) return null;
  if (Number.isNaN(value)) return [name, `${label}: give pounds and pence, such as 14.50.`];
  if (rule.max !== undefined && value > rule.max) return [name, `${label} is more than the app can hold.`];
  return null;
}

/** [field, message] when an ISO date is missing or outside the server's years, or null. */
export function dateProblem(name, label, iso, rule = {}) {
  if (!iso) return rule.required ? [name, `${label} is needed.`] : null;
  if ((rule.min && iso < rule.min) || (rule.max && iso > rule.max)) {
    return [name, `${label} must be between ${rule.min.slice(0, 4)} and ${rule.max.slice(0, 4)}: check the year.`];
  }
  return null;
}

/** el.append without the "null" it would write for a part a role or a state does not get. */
export function appendAll(el, ...items) {
  el.append(...items.flat().filter((x) => x !== null && x !== undefined && x !== false && x !== ''));
}
