// The passport's agreement and sharing: draft -> agreed, the day it was shared with the parent,
// their acknowledgement and comments. Checked here as the server checks it (dates not in the
// future, an acknowledgement not before the sharing, the comments' length from js/limits.js).
import { LIMITS } from './limits.js';
import { formField, send, serverFormProblems, showFormProblems } from './forms.js';
import { statusFacts } from './passport-words.js';
import { announce, h, input, londonToday, textarea } from './ui.js';
import { confirmDialog } from './views/record.js';

const RULES = LIMITS.casework.passport.fields;
const LABELS = { shared_with_parent_on: 'Shared with the parent on', parent_acknowledged_on: 'Parent acknowledged on',
  parent_comments: "Parent's comments", status: 'Status' };
const count = (n) => Number(n).toLocaleString('en-GB');

function problems(data) {
  const found = [];
  const today = londonToday();
  for (const key of ['shared_with_parent_on', 'parent_acknowledged_on']) {
    if (RULES[key].notFuture && data[key] && data[key] > today) found.push([key, `${LABELS[key]}: the day cannot be in the future.`]);
  }
  if (data.parent_acknowledged_on && !data.shared_with_parent_on) {
    found.push(['parent_acknowledged_on', 'Parent acknowledged on: say first when the passport was shared with the parent.']);
  } else if (data.parent_acknowledged_on && data.parent_acknowledged_on < data.shared_with_parent_on) {
    found.push(['parent_acknowledged_on', 'Parent acknowledged on: the acknowledgement cannot be before the day it was shared.']);
  }
  const length = [...(data.parent_comments || '')].length;
  if (length > RULES.parent_comments.maxLength) {
    found.push(['parent_comments', `Parent's comments are too long: ${count(length)} characters, at most ${count(RULES.parent_comments.maxLength)}.`]);
  }
  return found;
}

/** opts: {pupilId, passport, canEdit, onPassport(passport)}. Returns the section. */
export function statusSection(opts) {
  const section = h('section', { class: 'card', id: 'passport-status', 'aria-labelledby': 'status-heading' });
  const path = `/api/v1/pupils/${opts.pupilId}/passport`;
  let passport = opts.passport;
  let typed = null;  // what was typed in the sharing form and not yet saved

  async function patch(body, message) {
    const { data, error } = await send('PATCH', path, body);
    if (data) { passport = data; typed = null; opts.onPassport(data); draw(message); announce(message); }
    return { data, error };
  }

  function sharingForm() {
    const shared = input({ type: 'date', name: 'shared_with_parent_on', max: londonToday() });
    const acked = input({ type: 'date', name: 'parent_acknowledged_on', max: londonToday() });
    const comments = textarea({ name: 'parent_comments', rows: 3 });
    const source = typed || passport;
    shared.value = source.shared_with_parent_on || '';
    acked.value = source.parent_acknowledged_on || '';
    comments.value = source.parent_comments || '';
    const slot = h('div');
    const form = h('form', { novalidate: true, id: 'sharing-form' },
      h('div', { class: 'grid' },
        formField(LABELS.shared_with_parent_on, shared, { name: 'shared_with_parent_on' }),
        formField(LABELS.parent_acknowledged_on, acked, { name: 'parent_acknowledged_on',
          hint: 'When the parent said they had read it.' })),
      formField(LABELS.parent_comments, comments, { name: 'parent_comments' }), slot,
      h('button', { type: 'submit', class: 'button' }, 'Save sharing details'));
    form.addEventListener('input', () => { typed = read(); });
    const read = () => ({ shared_with_parent_on: shared.value || null,
      parent_acknowledged_on: acked.value || null, parent_comments: comments.value.trim() || null });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const data = read();
      if (!showFormProblems(form, slot, problems(data))) return;
      const { error } = await patch(data, 'Sharing details saved.');
      if (error) showFormProblems(form, slot, serverFormProblems(error, LABELS));
    });
    return form;
  }

  async function setStatus(status) {
    const question = status === 'agreed'
      ? 'Mark this passport as agreed with the pupil and their parents? Any later change to a field makes it a draft again.'
      : 'Make this passport a draft again?';
    if (!(await confirmDialog(question, status === 'agreed' ? 'Mark as agreed' : 'Make it a draft'))) return;
    const { error } = await patch({ status }, status === 'agreed' ? 'Marked as agreed.' : 'It is a draft again.');
    if (error) announce(serverFormProblems(error, LABELS).map(([, m]) => m).join(' '), 'warn');
  }

  function draw(message = '') {
    const agreed = passport.status === 'agreed';
    const status = h('p', { class: 'field-status', tabIndex: -1, role: 'status' }, message);
    section.replaceChildren(h('h2', { id: 'status-heading' }, 'Agreement and sharing'),
      h('ul', { class: 'facts', id: 'status-facts' }, statusFacts(passport).map((fact) => h('li', {}, fact))),
      status,
      ...(opts.canEdit ? [h('div', { class: 'button-row' }, agreed
        ? h('button', { type: 'button', class: 'button secondary', id: 'make-draft', onclick: () => setStatus('draft') }, 'Make it a draft again')
        : h('button', { type: 'button', class: 'button', id: 'mark-agreed', onclick: () => setStatus('agreed') }, 'Mark as agreed')),
      sharingForm()] : []));
    if (message) status.focus();
  }

  section.update = (fresh) => { passport = fresh; draw(); };
  draw();
  return section;
}
