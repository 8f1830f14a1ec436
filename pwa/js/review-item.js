// One review prompt on the to-do list: what is due, for whom, by when, a link to the place it is
// done, and "Done", "Snooze until…" or "Not needed, because…", kept on the server for the whole
// school. The snooze and reason forms check what the server checks (js/limits.js).
import { formField, send, serverFormProblems, showFormProblems } from './forms.js';
import { LIMITS } from './limits.js';
import { announce, h, input, londonToday, nextId, personName, textarea } from './ui.js';
import { friendlyDate, timeEl } from './words.js';

const RULES = LIMITS.casework.review_decision;
const count = (n) => Number(n).toLocaleString('en-GB');
const DECIDED = { done: 'Done', snoozed: 'Snoozed', not_needed: 'Not needed' };

/** The day n days after a YYYY-MM-DD day, as YYYY-MM-DD. */
export function addDays(day, n) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Where the prompt is acted on in the app: [address, words], or null. */
export function placeFor(p) {
  const link = p.link || '';
  let m = link.match(/^\/api\/v1\/groups\/(\d+)$/);
  if (m) return [`#/group/${m[1]}`, 'Open the group'];
  if (/^\/api\/v1\/enrolments\/\d+$/.test(link) && p.group_id) return [`#/group/${p.group_id}`, 'Open the group'];
  m = link.match(/^\/api\/v1\/pupils\/(\d+)\/passport$/);
  if (m) return [`#/passport/${m[1]}`, 'Open the passport'];
  m = link.match(/^\/api\/v1\/entries\/([\w-]+)$/);
  if (m) return [`#/record/${m[1]}`, 'Open the conversation record'];
  if (p.kind === 'few_parent_conversations') return ['#/conversation', 'Record a conversation'];
  if (p.pupil_id) return [`#/pupil-page/${p.pupil_id}`, 'Open the pupil’s page'];
  return null;
}

export function dueLine(p, today = londonToday()) {
  const due = p.due_date;
  if (due < today) {
    return h('span', { class: 'due overdue' }, h('span', { 'aria-hidden': 'true' }, '▲ '), 'Overdue: due ', timeEl(h, due));
  }
  return h('span', { class: 'due' }, due === today ? 'Due today' : ['Due ', timeEl(h, due)]);
}

/** "Snoozed until Thu 10 Dec 2026 by Sam Lee" */
export function decisionWords(d) {
  const by = d.decided_by ? ` by ${d.decided_by}` : '';
  if (d.decision === 'snoozed') return `Snoozed until ${friendlyDate(d.until)}${by}`;
  if (d.decision === 'not_needed') return `Not needed${by}: ${d.reason}`;
  return `${DECIDED[d.decision] || d.decision}${by}`;
}

function snoozeForm(p, onDecided, close) {
  const today = londonToday();
  const until = input({ type: 'date', name: 'until', min: addDays(today, 1), max: addDays(today, RULES.snooze_max_days) });
  const slot = h('div');
  const quick = [[7, 'One week'], [14, 'Two weeks'], [28, 'Four weeks']].map(([days, words]) =>
    h('button', { type: 'button', class: 'button secondary', onclick: () => { until.value = addDays(today, days); } }, words));
  const form = h('form', { novalidate: true, class: 'decide-form' },
    formField('Snooze until', until, { name: 'until', hint: 'It leaves the list and comes back on this day.' }),
    h('div', { class: 'button-row quick' }, quick), slot,
    h('div', { class: 'button-row' }, h('button', { type: 'submit', class: 'button' }, 'Snooze'),
      h('button', { type: 'button', class: 'button secondary', onclick: close }, 'Cancel')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const value = until.value;
    const problem = !value ? 'Snooze until: choose the day it should come back.'
      : value <= today ? 'Snooze until: choose a day after today.'
        : value > addDays(today, RULES.snooze_max_days)
          ? `Snooze until: choose a day within ${count(RULES.snooze_max_days)} days; for longer, say why it is not needed.` : null;
    if (!showFormProblems(form, slot, problem ? [['until', problem]] : [])) return;
    const { error } = await send('POST', '/api/v1/reviews/decisions', { key: p.key, decision: 'snoozed', until: value });
    if (error) { showFormProblems(form, slot, serverFormProblems(error, { until: 'Snooze until' })); return; }
    onDecided(`Snoozed until ${friendlyDate(value)}: it comes back on the list then.`);
  });
  return form;
}

function reasonForm(p, onDecided, close) {
  const reason = textarea({ name: 'reason', rows: 2 });
  const slot = h('div');
  const form = h('form', { novalidate: true, class: 'decide-form' },
    formField('Why is it not needed?', reason, { name: 'reason' }), slot,
    h('div', { class: 'button-row' }, h('button', { type: 'submit', class: 'button' }, 'Save: not needed'),
      h('button', { type: 'button', class: 'button secondary', onclick: close }, 'Cancel')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = reason.value.trim();
    const length = [...text].length;
    const problem = !text ? 'Why is it not needed? Say why in a few words.'
      : length > RULES.fields.reason.maxLength
        ? `The reason is too long: ${count(length)} characters, at most ${count(RULES.fields.reason.maxLength)}.` : null;
    if (!showFormProblems(form, slot, problem ? [['reason', problem]] : [])) return;
    const { error } = await send('POST', '/api/v1/reviews/decisions', { key: p.key, decision: 'not_needed', reason: text });
    if (error) { showFormProblems(form, slot, serverFormProblems(error, { reason: 'The reason' })); return; }
    onDecided('Marked not needed, with your reason.');
  });
  return form;
}

/** opts: {pupils: Map, online, onDecided(message)}. One prompt as a list item. */
export function promptItem(p, opts) {
  const area = h('div', { class: 'decide-area' });
  const pupil = p.pupil_id ? opts.pupils.get(p.pupil_id) : null;
  const place = placeFor(p);
  const open = (make) => { area.replaceChildren(make(p, opts.onDecided, () => area.replaceChildren())); area.querySelector('input, textarea').focus(); };
  const done = async () => {
    const { error } = await send('POST', '/api/v1/reviews/decisions', { key: p.key, decision: 'done' });
    if (error) { announce(serverFormProblems(error).map(([, m]) => m).join(' '), 'warn'); return; }
    opts.onDecided('Marked done.');
  };
  const titleId = nextId('rv');
  const about = { 'aria-describedby': titleId };
  return h('li', { class: 'card review-item', dataset: { key: p.key } },
    h('h3', { id: titleId }, p.title),
    h('p', { class: 'review-meta' }, dueLine(p), pupil ? h('span', { class: 'pupil' }, 'Pupil: ',
      h('a', { class: 'pupil-link', href: `#/pupil-page/${pupil.id}` }, personName(pupil))) : null),
    p.detail ? h('p', { class: 'detail' }, p.detail) : null,
    p.decision ? h('p', { class: 'hint' }, `${decisionWords(p.decision)}. It is back on the list.`) : null,
    h('div', { class: 'button-row' },
      place ? h('a', { class: 'button secondary', href: place[0], ...about }, place[1]) : null,
      opts.online ? [h('button', { type: 'button', class: 'button', ...about, onclick: done }, 'Done'),
        h('button', { type: 'button', class: 'button secondary', ...about, onclick: () => open(snoozeForm) }, 'Snooze until…'),
        h('button', { type: 'button', class: 'button secondary', ...about, onclick: () => open(reasonForm) }, 'Not needed, because…')] : null),
    area);
}
