// One safeguarding concern, "#/concern/<id>": the pupil's answers in the order they were asked
// (the one that raised it marked in words and a shape), every action taken with its note, a form
// to record the next one, and closing it. Online only; the server audits each read and write.
import { request } from '../api.js';
import { cachedGet } from '../cache.js';
import { formField, formGroup, send, serverFormProblems, showFormProblems } from '../forms.js';
import { LIMITS } from '../limits.js';
import { session } from '../state.js';
import { announce, h, textarea } from '../ui.js';
import { friendlyDate, friendlyDateTime } from '../words.js';
import { sourceWords, statusBadge, waited } from './concerns.js';
import { confirmDialog } from './record.js';

const ACTION = LIMITS.casework.concern_action;
const CLOSE = LIMITS.casework.concern.fields;
const count = (n) => Number(n).toLocaleString('en-GB');
const AUDIT_READERS = ['admin', 'senco'];  // server/policy.py READ_AUDIT

function lengthProblem(label, value, max) {
  const n = [...(value || '')].length;
  return n > max ? `${label} is too long: ${count(n)} characters, at most ${count(max)}.` : null;
}

function contextSection(c) {
  return h('section', { class: 'card', 'aria-labelledby': 'said-heading' },
    h('h2', { id: 'said-heading' }, c.entry_kind === 'pupil_voice' ? 'What the pupil said' : 'The record that raised it'),
    h('p', { class: 'hint' }, `${sourceWords(c)}${c.entry_date ? `, ${friendlyDate(c.entry_date)}` : ''}.`),
    c.context && c.context.length ? h('dl', { class: 'record-rows', id: 'concern-context' }, c.context.flatMap((line) => [
      h('dt', {}, line.question),
      h('dd', { class: line.raised ? 'raised' : null }, line.answer, line.raised
        ? h('span', { class: 'raised-note' }, h('span', { 'aria-hidden': 'true' }, ' ▲'), ' This answer raised the concern') : null)]))
      : h('p', {}, c.reason),
    c.context_note ? h('p', { class: 'panel' }, h('strong', {}, 'Note from staff: '), c.context_note) : null);
}

function actionsSection(c) {
  return h('section', { class: 'card', 'aria-labelledby': 'actions-heading' },
    h('h2', { id: 'actions-heading' }, 'Actions taken'),
    c.actions.length ? h('ol', { class: 'timeline', id: 'concern-actions' }, c.actions.map((a) => h('li', {},
      h('strong', {}, a.words), a.note ? h('p', { class: 'note' }, a.note) : null,
      h('p', { class: 'hint' }, `${a.taken_by || 'Someone'}, ${friendlyDateTime(a.taken_at)}`))))
      : h('p', {}, 'No action recorded yet.'));
}

function actionForm(c, redraw) {
  const slot = h('div');
  const note = textarea({ name: 'note', rows: 3 });
  const options = ACTION.order.map((value) => [value, ACTION.words[value]]).map(([value, words]) => h('label', { class: 'radio-line' },
    h('input', { type: 'radio', name: 'action', value }), words));
  const needed = ACTION.note_needed_for.map((code) => `“${ACTION.words[code]}”`).join(' and ');
  const form = h('form', { novalidate: true, id: 'action-form', 'aria-labelledby': 'record-heading' },
    h('h2', { id: 'record-heading' }, 'Record an action'),
    formGroup('What was done', h('div', { class: 'radio-list' }, options), { name: 'action' }),
    formField('Note', note, { name: 'note', hint: `What happened, who was told, any reference number. Needed for ${needed}.` }),
    slot, h('button', { type: 'submit', class: 'button' }, 'Record action'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const action = form.querySelector('input[name="action"]:checked')?.value || null;
    const problems = [];
    if (!action) problems.push(['action', 'What was done: choose one.']);
    if (action && ACTION.note_needed_for.includes(action) && !note.value.trim()) {
      problems.push(['note', `Note: say what was done and why for “${ACTION.words[action]}”.`]);
    }
    const long = lengthProblem('Note', note.value, ACTION.fields.note.maxLength);
    if (long) problems.push(['note', long]);
    if (!showFormProblems(form, slot, problems)) return;
    const { data, error } = await send('POST', `/api/v1/concerns/${c.id}/actions`, { action, note: note.value.trim() || null });
    if (error) { showFormProblems(form, slot, serverFormProblems(error, { action: 'What was done', note: 'Note' })); return; }
    announce(`Recorded: ${ACTION.words[action]}.`);
    redraw(data, 'actions-heading');
  });
  return form;
}

function closeSection(c, redraw) {
  if (c.status !== 'open') {
    return h('section', { 'aria-labelledby': 'close-heading' }, h('h2', { id: 'close-heading' }, 'Closed'),
      c.notes ? h('p', {}, h('strong', {}, 'Closing note: '), c.notes) : null,
      c.handled_at ? h('p', { class: 'hint' }, `Last handled ${friendlyDateTime(c.handled_at)}.`) : null,
      h('button', { type: 'button', class: 'button secondary', id: 'reopen', onclick: async () => {
        if (!(await confirmDialog('Reopen this concern?', 'Reopen it'))) return;
        const { data, error } = await send('PATCH', `/api/v1/concerns/${c.id}`, { status: 'open' });
        if (error) { announce(error.message, 'warn'); return; }
        announce('The concern is open again.');
        redraw(data, 'close-heading');
      } }, 'Reopen'));
  }
  const slot = h('div');
  const notes = textarea({ name: 'notes', rows: 3 });
  notes.value = c.notes || '';
  const form = h('form', { novalidate: true, id: 'close-form', 'aria-labelledby': 'close-heading' },
    h('h2', { id: 'close-heading' }, 'Close the concern'),
    formField('Closing note', notes, { name: 'notes', hint: 'Optional once an action is recorded: the outcome in a sentence.' }),
    slot, h('button', { type: 'submit', class: 'button secondary' }, 'Close this concern'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const problems = [];
    if (!c.actions.length && !notes.value.trim()) problems.push(['notes', 'Record what was done (an action or a note) before closing the concern.']);
    const long = lengthProblem('Closing note', notes.value, CLOSE.notes.maxLength);
    if (long) problems.push(['notes', long]);
    if (!showFormProblems(form, slot, problems)) return;
    if (!(await confirmDialog(`Close the concern about ${c.pupil_name}?`, 'Close it'))) return;
    const { data, error } = await send('PATCH', `/api/v1/concerns/${c.id}`, { status: 'closed', notes: notes.value.trim() || null });
    if (error) { showFormProblems(form, slot, serverFormProblems(error, { notes: 'Closing note', status: 'Closing' })); return; }
    announce('The concern is closed.');
    redraw(data, 'close-heading');
  });
  return form;
}

export async function render(main, ctx) {
  main.classList.add('casework');
  const back = h('div', { class: 'button-row' }, h('a', { class: 'button secondary', href: '#/concerns' }, 'All concerns'));
  if (!navigator.onLine) {
    main.append(h('h1', {}, 'Safeguarding concern'), h('p', { class: 'panel notice' },
      'Concerns are shown only online, so nothing about them is kept on this device.'), back);
    return;
  }
  let concern;
  try {
    concern = await request('GET', `/api/v1/concerns/${encodeURIComponent(ctx.arg || '')}`);
  } catch (err) {
    main.append(h('h1', {}, 'Concern not found'), h('p', { class: 'panel' },
      err.status === 404 ? 'There is no such concern in this school.' : `It could not be loaded: ${err.message}`), back);
    return;
  }
  const staff = await cachedGet('staff', '/api/v1/staff/');
  const names = new Map(((staff && staff.data) || []).map((s) => [s.id, s.name]));
  const body = h('div');
  const draw = (c, focusId) => {
    const wait = c.status === 'open' ? waited(c.raised_at) : null;
    body.replaceChildren(...[h('p', { class: 'concern-meta' }, statusBadge(c),
      wait ? h('span', { class: `waited${wait.overDay ? ' long' : ''}` }, wait.overDay ? h('span', { 'aria-hidden': 'true' }, '▲ ') : null, wait.words) : null,
      ` Raised ${friendlyDateTime(c.raised_at)}`, c.handled_by ? ` · last handled by ${names.get(c.handled_by) || 'a member of staff'}` : ''),
    h('p', {}, h('a', { class: 'pupil-link', href: `#/pupil-page/${c.pupil_id}` }, `${c.pupil_name}'s page`)),
    contextSection(c), actionsSection(c),
    c.status === 'open' ? h('div', { class: 'card' }, actionForm(c, draw)) : null,
    h('div', { class: 'card' }, closeSection(c, draw)),
    h('div', { class: 'button-row' }, AUDIT_READERS.includes(session.staff.role)
      ? h('a', { class: 'button secondary', id: 'concern-history', href: `#/audit/concern/${c.id}` }, 'History in the audit log') : null,
    h('a', { class: 'button secondary', href: '#/concerns' }, 'All concerns'))].filter(Boolean));
    if (focusId) { const el = body.querySelector(`#${focusId}`); if (el) { el.tabIndex = -1; el.focus(); } }
  };
  main.append(h('h1', {}, `Concern about ${concern.pupil_name}`), body);
  draw(concern);
}
