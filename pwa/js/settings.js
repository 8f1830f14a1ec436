// Shared by the admin's and SENCO's settings screens (staff, terms, passwords, school forms):
// messages shown beside the field they are about as well as in the list at the foot of the
// form, the server's refusals put in the same places, and the limits the server checks.
import { LIMITS } from './limits.js';
import { errorList, h, nextId } from './ui.js';

export const SETTINGS = LIMITS.settings;

export const ROLE_WORDS = {
  admin: 'Admin (school office)',
  senco: 'SENCO',
  teacher: 'Class teacher',
  ta: 'Teaching assistant',
  viewer: 'Head or governor (reports only)',
};
export const ROLE_HINTS = {
  admin: 'Manages staff accounts, terms and school forms. Sees no pupil records.',
  senco: 'Sees and edits everything SEND in the school.',
  teacher: 'Sees the pupils in the classes they teach.',
  ta: 'Sees the pupils in the groups they deliver.',
  viewer: 'Sees whole-school figures only, never individual pupils.',
};

const count = (n) => Number(n).toLocaleString('en-GB');

/** A problem with a text value against the server's rule for it, in plain words, or null. */
export function textProblem(label, value, rule = {}) {
  const length = [...(value || '')].length;
  // Empty is only a problem where the field is required: optional text is sent as nothing.
  if (!length) return rule.required ? `${label} is needed.` : null;
  if (rule.minLength && length < rule.minLength) {
    return `${label} needs at least ${count(rule.minLength)} characters (it has ${count(length)}).`;
  }
  if (rule.maxLength && length > rule.maxLength) {
    return `${label} is too long: ${count(length)} characters, at most ${count(rule.maxLength)}.`;
  }
  return null;
}

/** Clear every field message in a form. */
export function clearMarks(root) {
  root.querySelectorAll('.field-error').forEach((el) => el.remove());
  root.querySelectorAll('[aria-invalid="true"]').forEach((control) => {
    control.removeAttribute('aria-invalid');
    const kept = (control.getAttribute('aria-describedby') || '').split(' ')
      .filter((id) => id && !id.endsWith('-error')).join(' ');
    if (kept) control.setAttribute('aria-describedby', kept); else control.removeAttribute('aria-describedby');
  });
}

/** Put a message under a field (a .field wrapper or a fieldset), tied to its control. */
export function markField(wrapper, message) {
  if (!wrapper) return;
  const controls = [...wrapper.querySelectorAll('input, select, textarea')];
  const id = `${controls[0]?.id || nextId('field')}-error`;
  let note = wrapper.querySelector(':scope > .field-error');
  if (!note) {
    note = h('p', { class: 'field-error', id }, h('span', { class: 'glyph', 'aria-hidden': 'true' }, '■ '));
    wrapper.append(note);
  }
  note.append(`${message} `);
  for (const control of controls) {
    control.setAttribute('aria-invalid', 'true');
    const ids = new Set((control.getAttribute('aria-describedby') || '').split(' ').filter(Boolean));
    ids.add(note.id);
    control.setAttribute('aria-describedby', [...ids].join(' '));
  }
}

/**
 * Show problems: [{where: wrapper element or null, message}]. Each goes beside its field and
 * into the list in `slot`, which takes focus so it is read out. True when there are none.
 */
export function showFieldProblems(form, slot, problems) {
  clearMarks(form);
  for (const p of problems) markField(p.where, p.message);
  const list = errorList(problems.map((p) => p.message));
  slot.replaceChildren(list);
  if (problems.length) { list.tabIndex = -1; list.focus(); }
  return problems.length === 0;
}

/**
 * The server's refusal as problems: its field messages beside the fields named in `wrappers`
 * ({field name: wrapper}), labelled with `labels`; anything else under the form.
 */
export function serverProblems(err, wrappers = {}, labels = {}) {
  if (err.kind === 'network') return [{ where: null, message: 'No connection to the server: nothing was saved. Your changes are still here; try again when online.' }];
  if (err.kind === 'auth') return [{ where: null, message: 'Your session has ended: log in again, then save. Your changes are still here.' }];
  if (err.kind === 'server') return [{ where: null, message: 'The server could not save this just now. Your changes are still here; try again in a moment.' }];
  const found = [];
  for (const [name, messages] of Object.entries(err.errors || {})) {
    for (const m of [].concat(messages).filter((x) => typeof x === 'string')) {
      found.push({ where: wrappers[name] || null, message: labels[name] ? `${labels[name]}: ${m}` : m });
    }
  }
  if (!found.length) found.push({ where: null, message: err.message });
  return found;
}

/** A note for screens that change things on the server: they need a connection. */
export function offlineNote() {
  return navigator.onLine ? null : h('p', { class: 'panel notice' },
    'You are offline. You can read what was saved here, but changes need a connection.');
}

/** For screens reached by address: the server refuses these roles anyway, so say so plainly. */
export function notForRole(main, heading, roles, role) {
  if (roles.includes(role)) return false;
  main.append(h('h1', {}, heading), h('p', { class: 'panel' }, 'Your role does not use this screen.'),
    h('a', { class: 'button secondary', href: '#/home' }, 'Back to home'));
  return true;
}
