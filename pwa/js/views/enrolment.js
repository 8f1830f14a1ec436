// One pupil's place in a group, "#/enrolment/<id>": the target and entry data, and ending the
// place with exit data in the intervention's measure and a structured outcome (met, partly met,
// not met, stopped early) with a note. The SENCO and admin save it; the server checks it again.
import { cachedGet } from '../cache.js';
import { appendAll, dateProblem, formField, onlineNote, send, serverFormProblems, showFormProblems,
  textProblem } from '../forms.js';
import { measureInput } from '../measure-input.js';
import { OUTCOME_CODES, RULES, WORDS, dataWords, groupTitle, measureNoun } from '../provision-words.js';
import { session } from '../state.js';
import { announce, checked, choices, h, input, londonToday, personName, saveOnce, text, textarea } from '../ui.js';
import { friendlyDate } from '../words.js';
import { MANAGERS } from './interventions.js';

const FIELDS = RULES.enrolment.fields;
const LABELS = { joined_on: 'Joined on', left_on: 'Left on', entry_data: 'Entry data', exit_data: 'Exit data',
  target: 'Target', success_criteria: 'Success criteria', target_review_date: 'Target review date',
  outcome_status: 'Outcome', outcome: 'Outcome note' };
// Met, partly met and not met say how far the pupil came: they need the exit data to say it.
const MEASURED_OUTCOMES = ['met', 'partly_met', 'not_met'];

export async function render(main, ctx) {
  appendAll(main, h('h1', {}, 'Exit and outcome'));
  if (!MANAGERS.includes(session.staff.role)) {
    appendAll(main, h('p', { class: 'panel' }, 'Only the SENCO or an admin records exits and outcomes.'),
      h('a', { class: 'button secondary', href: '#/home' }, 'Back to home'));
    return;
  }
  const place = await cachedGet(`enrolment:${ctx.arg}`, `/api/v1/enrolments/${encodeURIComponent(ctx.arg)}`);
  const e = place && place.data;
  const [group, catalogue, pupil] = e ? await Promise.all([
    cachedGet(`group:${e.group_id}`, `/api/v1/groups/${e.group_id}`), cachedGet('interventions', '/api/v1/interventions/'),
    cachedGet(`pupil:${e.pupil_id}`, `/api/v1/pupils/${e.pupil_id}`)]) : [];
  if (!e || !group || !catalogue || !pupil) {
    appendAll(main, h('p', { class: 'panel' }, 'This place is not on this device and there is no connection.'),
      h('a', { class: 'button secondary', href: '#/groups' }, 'Interventions and groups'));
    return;
  }
  const intervention = catalogue.data.find((i) => i.id === group.data.intervention_id);
  main.querySelector('h1').textContent = `${personName(pupil.data)}: exit and outcome`;
  appendAll(main, h('p', { class: 'lead' }, h('a', { href: `#/group/${e.group_id}` }, groupTitle(group.data.name, intervention.name)),
    ` · joined ${friendlyDate(e.joined_on)}`),
  intervention.exit_criteria ? h('p', { class: 'panel' }, h('strong', {}, 'When a pupil is done: '), intervention.exit_criteria) : null,
  onlineNote() || '', placeForm(e, intervention, ctx));
}

function placeForm(e, intervention, ctx) {
  const measure = intervention.measure_type;
  const noun = measureNoun(measure);
  const entry = measureInput(measure, 'entry_data', `Entry ${noun}`, e.entry_data);
  const exit = measureInput(measure, 'exit_data', `Exit ${noun}`, e.exit_data);
  const target = textarea({ name: 'target' });
  target.value = e.target || '';
  const success = textarea({ name: 'success_criteria', rows: 2 });
  success.value = e.success_criteria || '';
  const review = input({ type: 'date', name: 'target_review_date', value: e.target_review_date || '' });
  const left = input({ type: 'date', name: 'left_on', value: e.left_on || londonToday(), max: londonToday() });
  const note = textarea({ name: 'outcome' });
  note.value = e.outcome || '';
  const outcome = h('div', { dataset: { field: 'outcome_status' } }, choices(LABELS.outcome_status, 'outcome_status',
    OUTCOME_CODES.map((value) => ({ value, label: WORDS.outcomes[value] })), e.outcome_status));
  const problems = h('div', { class: 'problems' });
  const form = h('form', { novalidate: true, id: 'place-form' },
    h('section', { 'aria-labelledby': 'end-heading' }, h('h2', { id: 'end-heading' }, 'Ending the place'),
      h('p', { class: 'panel', id: 'entry-reminder' }, h('strong', {}, 'At entry: '),
        dataWords(measure, e.entry_data) || 'not recorded', e.target ? [h('br'), h('strong', {}, 'Target: '), e.target] : null),
      formField(LABELS.left_on, left, { name: 'left_on', hint: 'The last session the pupil attended, or today.' }),
      exit.element, outcome,
      formField(LABELS.outcome, note, { name: 'outcome', hint: 'What happens next, e.g. "continue pencil grip in class".' })),
    h('details', { class: 'others' }, h('summary', { class: 'button secondary' }, 'Target and entry data'),
      formField('SMART target', target, { name: 'target' }),
      formField(LABELS.success_criteria, success, { name: 'success_criteria' }),
      formField(LABELS.target_review_date, review, { name: 'target_review_date' }),
      entry.element),
    problems,
    h('div', { class: 'button-row' }, h('button', { type: 'submit', class: 'button' }, 'Save exit and outcome'),
      h('a', { class: 'button secondary', href: `#/group/${e.group_id}` }, 'Cancel')));
  form.addEventListener('submit', saveOnce(async () => {
    const status = checked(form, 'outcome_status');
    const entered = entry.read(false);
    const exited = exit.read(MEASURED_OUTCOMES.includes(status));
    const body = { left_on: status ? left.value || null : (e.left_on ? left.value || null : null),
      exit_data: exited.data, outcome_status: status, outcome: text(note.value), entry_data: entered.data,
      target: text(target.value), success_criteria: text(success.value), target_review_date: review.value || null };
    const found = [
      status ? dateProblem('left_on', LABELS.left_on, body.left_on, { ...FIELDS.left_on, required: true }) : null,
      body.left_on && body.left_on < e.joined_on ? ['left_on', `The pupil joined on ${friendlyDate(e.joined_on)}: they cannot leave before that.`] : null,
      ...exited.problems, ...entered.problems,
      status || !(body.exit_data || body.outcome) ? null : ['outcome_status', 'Choose the outcome: met, partly met, not met or stopped early.'],
      textProblem('outcome', LABELS.outcome, body.outcome, FIELDS.outcome),
      textProblem('target', LABELS.target, body.target, FIELDS.target),
      textProblem('success_criteria', LABELS.success_criteria, body.success_criteria, FIELDS.success_criteria),
    ].filter(Boolean);
    if (found.some(([name]) => ['entry_data', 'target', 'success_criteria'].includes(name.split('.')[0]))) {
      form.querySelector('details').open = true;
    }
    if (!showFormProblems(form, problems, found)) return false;
    const { error } = await send('PATCH', `/api/v1/enrolments/${e.id}`, body);
    if (error) {
      if (error.errors && Object.keys(error.errors).some((k) => ['entry_data', 'target', 'success_criteria', 'target_review_date'].includes(k))) {
        form.querySelector('details').open = true;
      }
      showFormProblems(form, problems, serverFormProblems(error, LABELS));
      return false;
    }
    announce(status ? `Saved: ${WORDS.outcomes[status].toLowerCase()}.` : 'Saved.');
    ctx.go('group', e.group_id);
    return true;
  }));
  return form;
}
