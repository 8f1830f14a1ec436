// Ending a group (POST /api/v1/groups/<id>/end), asked in a dialog: on which day, and what that
// means (pupils still in it leave that day; outcomes can be recorded before or after). A
// refusal shows beside the date, in the dialog, and the date typed stays.
import { formField, send, serverFormProblems, showFormProblems } from '../forms.js';
import { announce, h, input, londonToday } from '../ui.js';
import { friendlyDate } from '../words.js';

export function endGroupDialog(group, ctx) {
  const today = londonToday();
  const day = input({ type: 'date', name: 'ended_on', value: today, max: today, min: group.start_date });
  const problems = h('div', { class: 'problems' });
  const cancel = h('button', { type: 'button', class: 'button secondary' }, 'Cancel');
  const form = h('form', { novalidate: true },
    h('h2', { id: 'end-title' }, `End ${group.name}?`),
    h('p', {}, 'No more sessions can be recorded for it after this day. Pupils still in the group leave on '
      + 'that day; you can record their exit data and outcomes before or after.'),
    formField('Last day of the group', day, { name: 'ended_on', hint: `It started on ${friendlyDate(group.start_date)}.` }),
    problems,
    h('div', { class: 'button-row' }, h('button', { type: 'submit', class: 'button danger', id: 'confirm-end' }, 'End the group'), cancel));
  const dialog = h('dialog', { class: 'confirm', 'aria-labelledby': 'end-title' }, form);
  cancel.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => dialog.remove());
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const found = [];
    if (!day.value) found.push(['ended_on', 'Give the last day of the group.']);
    else if (day.value > today) found.push(['ended_on', 'The last day cannot be in the future.']);
    else if (day.value < group.start_date) found.push(['ended_on', `The group started on ${friendlyDate(group.start_date)}.`]);
    if (!showFormProblems(form, problems, found)) return;
    const { error } = await send('POST', `/api/v1/groups/${group.id}/end`, { ended_on: day.value });
    if (error) { showFormProblems(form, problems, serverFormProblems(error, { ended_on: 'Last day' })); return; }
    dialog.close();
    announce(`${group.name} ended on ${friendlyDate(day.value)}.`);
    ctx.syncNow().catch(() => {});  // the session form must stop offering it on this device
    ctx.go('group', group.id);
  });
  document.body.append(dialog);
  dialog.showModal();
}
