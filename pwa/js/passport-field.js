// One hand-written passport field in the editor: its words to edit and save (by the rev they
// were read at), the suggestions beside it to add, edit first or dismiss, and any stale edit
// shown as both versions side by side, resolved in place by the SENCO. The card re-draws only
// itself, so what is typed in other fields stays; a failed save keeps the text.
import { LIMITS } from './limits.js';
import { formField, send, serverFormProblems, showFormProblems } from './forms.js';
import { askedWords, editedWords, sourceWords } from './passport-words.js';
import { session } from './state.js';
import { announce, h, nextId, textarea } from './ui.js';
import { friendlyDateTime } from './words.js';

const RULES = LIMITS.casework.passport.fields;
const RESOLVE_RULES = LIMITS.casework.conflict.fields;
const count = (n) => Number(n).toLocaleString('en-GB');
const ref = (s) => ({ entry_id: s.entry_id, question_id: s.question_id });

function tooLong(label, value, max) {
  const length = [...value].length;
  return length > max ? `${label} is too long: ${count(length)} characters, at most ${count(max)}.` : null;
}

/**
 * opts: {pupilId, name, passport, canEdit, canResolve, onPassport(passport)}. Returns the card,
 * which keeps itself up to date from each answer the server gives.
 */
export function fieldCard(opts) {
  const card = h('section', { class: 'card passport-field', id: `field-${opts.name}`,
    dataset: { field: opts.name } });
  const state = { field: opts.passport.fields[opts.name], text: null, using: null };
  const path = `/api/v1/pupils/${opts.pupilId}/passport`;
  const label = state.field.label;

  // A fresh passport from the server: this field's new state; unsaved text stays if asked.
  const refresh = (passport, { keepText = false, message = '' } = {}) => {
    opts.onPassport(passport);
    state.field = passport.fields[opts.name];
    if (!keepText) { state.text = null; state.using = null; }
    draw(message);
  };

  async function save(form, slot) {
    const value = form.elements.value.value;
    const problem = tooLong(label, value, RULES.value.maxLength);
    if (!showFormProblems(form, slot, problem ? [['value', problem]] : [])) return false;
    const body = { field: opts.name, value, base_rev: state.field.rev };
    if (state.using) body.from_suggestion = state.using;
    const { data, error } = await send('PATCH', path, body);
    if (data) { refresh(data, { message: 'Saved.' }); announce(`${label}: saved.`); return true; }
    if (error.status === 409) {
      // Someone saved this field after it was read: both versions are now kept side by side.
      const fresh = await send('GET', path);
      if (fresh.data) refresh(fresh.data, { message: 'Someone changed this field while you were editing. Both versions are shown below.' });
      announce(`${label}: someone else changed it meanwhile; both versions are kept.`, 'warn');
      return true;
    }
    state.text = value;
    return showFormProblems(form, slot, serverFormProblems(error, { value: label }));
  }

  function editor() {
    const box = textarea({ name: 'value', rows: 3, id: nextId('pf'),
      oninput: () => { state.text = box.value; unsaved.hidden = box.value === state.field.value; } });
    box.value = state.text ?? state.field.value;
    const unsaved = h('span', { class: 'unsaved', hidden: box.value === state.field.value }, '● Not saved yet');
    const hint = state.using ? h('span', { class: 'hint', id: `${box.id}-hint` },
      'Edit the words, then save: the suggestion is then marked as used.') : null;
    if (hint) box.setAttribute('aria-describedby', hint.id);
    const slot = h('div');
    const form = h('form', { novalidate: true },
      h('div', { class: 'field', dataset: { field: 'value' } }, h('h2', {}, h('label', { for: box.id, id: `${box.id}-label` }, label)),
        h('p', { class: 'hint edited' }, editedWords(state.field)), hint, box),
      slot, h('div', { class: 'button-row' }, h('button', { type: 'submit', class: 'button', 'aria-describedby': `${box.id}-label` }, 'Save'), unsaved));
    form.addEventListener('submit', (event) => { event.preventDefault(); save(form, slot); });
    Object.assign(state, { form, slot });
    return form;
  }

  async function useSuggestion(s, thenSave) {
    const box = card.querySelector('textarea[name="value"]');
    const now = (box ? box.value : state.field.value).trim();
    state.text = now ? `${now}\n${s.text}` : s.text;
    state.using = ref(s);
    draw();
    if (thenSave) await save(state.form, state.slot);
    else state.form.elements.value.focus();
  }

  async function decide(method, url, body, message) {
    const box = card.querySelector('textarea[name="value"]');
    if (box) state.text = box.value;
    const { data, error } = await send(method, url, body);
    if (data) { refresh(data, { keepText: true, message }); announce(message); return; }
    announce(serverFormProblems(error).map(([, m]) => m).join(' '), 'warn');
  }

  function suggestionItem(s) {
    const textId = nextId('sg');
    const described = { 'aria-describedby': textId };
    return h('li', { class: 'suggestion' },
      h('blockquote', { id: textId }, s.text),
      h('p', { class: 'source' }, sourceWords(s)), h('p', { class: 'hint' }, askedWords(s)),
      opts.canEdit ? h('div', { class: 'button-row' },
        h('button', { type: 'button', class: 'button', ...described, onclick: () => useSuggestion(s, true) }, 'Add to passport'),
        h('button', { type: 'button', class: 'button secondary', ...described, onclick: () => useSuggestion(s, false) }, 'Edit, then add'),
        h('button', { type: 'button', class: 'button secondary', ...described, onclick: () => decide('POST',
          `${path}/dismissals`, { field: opts.name, ...ref(s) }, 'Suggestion dismissed: it will not be offered again.') }, 'Dismiss'))
        : null);
  }

  function suggestions() {
    const { suggestions: offered = [], dismissed = [] } = state.field;
    if (!offered.length && !dismissed.length) return null;
    const headingId = nextId('sh');
    return h('aside', { class: 'suggestions', 'aria-labelledby': headingId },
      h('h3', { id: headingId }, offered.length ? `Suggestions (${offered.length})` : 'Suggestions'),
      offered.length ? h('ul', { class: 'plain' }, offered.map(suggestionItem)) : h('p', {}, 'None waiting.'),
      dismissed.length ? h('details', { class: 'dismissed' }, h('summary', {}, `Dismissed (${dismissed.length})`),
        h('ul', { class: 'plain' }, dismissed.map((s) => h('li', { class: 'suggestion' }, h('blockquote', {}, s.text),
          h('p', { class: 'source' }, sourceWords(s)),
          opts.canEdit ? h('button', { type: 'button', class: 'button secondary', onclick: () => decide('DELETE',
            `${path}/dismissals/${s.dismissal_id}`, undefined, 'Suggestion brought back.') }, 'Bring back') : null))))
        : null);
  }

  async function resolve(conflict, choice, value, slot, form) {
    if (choice === 'custom') {
      const problem = !value.trim() ? 'Write the combined version first.'
        : tooLong('The combined version', value, RESOLVE_RULES.value.maxLength);
      if (!showFormProblems(form, slot, problem ? [['value', problem]] : [])) return;
    }
    const body = choice === 'custom' ? { choice, value } : { choice };
    const { error } = await send('POST', `/api/v1/passport-conflicts/${conflict.id}/resolve`, body);
    if (error) { showFormProblems(form, slot, serverFormProblems(error, { value: 'The combined version' })); return; }
    const fresh = await send('GET', path);
    if (fresh.data) refresh(fresh.data, { keepText: true, message: 'Resolved: the chosen version is on the passport.' });
    announce(`${label}: resolved.`);
  }

  function conflictPanel(c) {
    const headingId = nextId('ch');
    const slot = h('div');
    const combined = textarea({ name: 'value', rows: 4 });
    combined.value = `${c.current_value}\n${c.proposed_value}`.trim();
    const form = h('form', { novalidate: true }, formField('Combined version', combined, { name: 'value' }), slot,
      h('button', { type: 'submit', class: 'button' }, 'Save the combined version'));
    form.addEventListener('submit', (event) => { event.preventDefault(); resolve(c, 'custom', combined.value, slot, form); });
    const changedSince = c.current_value !== state.field.value;
    const mine = Boolean(c.proposed_by) && c.proposed_by === session.staff.name;
    return h('section', { class: 'conflict panel notice', 'aria-labelledby': headingId },
      h('h3', { id: headingId }, 'Two versions of this field'),
      h('p', {}, `${mine ? 'You' : (c.proposed_by || 'Someone')} saved a change on ${friendlyDateTime(c.raised_at)} after someone else had changed the same words. `,
        opts.canResolve ? 'Both versions are kept: choose the one the passport keeps, or combine them.' : 'Both versions are kept until the SENCO chooses.'),
      h('div', { class: 'side-by-side' },
        h('section', {}, h('h4', {}, 'On the passport'), h('p', { class: 'value' }, c.current_value || '(empty)'),
          changedSince ? h('p', { class: 'hint' }, 'It has been changed again since.') : null),
        h('section', {}, h('h4', {}, mine ? 'Your version' : `Proposed by ${c.proposed_by || 'someone'}`), h('p', { class: 'value' }, c.proposed_value))),
      opts.canResolve ? [h('div', { class: 'button-row' },
        h('button', { type: 'button', class: 'button secondary', onclick: () => resolve(c, 'current', '', slot, form) }, 'Keep the one on the passport'),
        h('button', { type: 'button', class: 'button secondary', onclick: () => resolve(c, 'proposed', '', slot, form) }, 'Use the proposed one')),
      h('details', {}, h('summary', { class: 'button secondary' }, 'Write a combined version'), form)]
        : h('p', { class: 'hint' }, 'Waiting for the SENCO to choose.'));
  }

  function draw(message = '') {
    const f = state.field;
    const status = h('p', { class: 'field-status', tabIndex: -1, role: 'status' }, message);
    const main = h('div', { class: 'field-main' },
      opts.canEdit ? editor() : [h('h2', {}, label), h('p', { class: 'value' }, f.value || 'Not written yet.'),
        h('p', { class: 'hint' }, editedWords(f))], status,
      (f.conflicts || []).map(conflictPanel));
    const aside = suggestions();
    card.classList.toggle('with-suggestions', Boolean(aside));
    card.replaceChildren(...[main, aside].filter(Boolean));
    if (message) status.focus();
  }

  draw();
  return card;
}
