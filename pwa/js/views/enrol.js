// Enrol a pupil in a group, "#/enrol/<group id>": choose from the register (search by name; the
// SEN register first), then the entry data in the intervention's own measure, a SMART target
// with its success criteria, and the day it is reviewed.
import { cachedGet } from '../cache.js';
import { appendAll, dateProblem, formField, formGroup, onlineNote, send, serverFormProblems,
  showFormProblems, textProblem } from '../forms.js';
import { measureInput } from '../measure-input.js';
import { RULES, groupTitle, measureNoun, measureWords } from '../provision-words.js';
import { session } from '../state.js';
import { announce, checked, h, input, londonToday, personName, saveOnce, text, textarea } from '../ui.js';
import { friendlyDate, senWords, yearWords } from '../words.js';
import { MANAGERS } from './interventions.js';

const FIELDS = RULES.enrolment.fields;
const LABELS = { pupil_id: 'Pupil', joined_on: 'Joins on', entry_data: 'Entry data', target: 'Target',
  success_criteria: 'Success criteria', target_review_date: 'Target review date', group_id: 'Group' };
const SHOWN = 12;  // pupils listed before the search narrows them

export async function render(main, ctx) {
  appendAll(main, h('h1', {}, 'Enrol a pupil'));
  if (!MANAGERS.includes(session.staff.role)) {
    appendAll(main, h('p', { class: 'panel' }, 'Only the SENCO or an admin enrols pupils.'),
      h('a', { class: 'button secondary', href: '#/home' }, 'Back to home'));
    return;
  }
  const id = Number(ctx.arg);
  const [group, catalogue, pupils, places] = await Promise.all([
    cachedGet(`group:${id}`, `/api/v1/groups/${id}`), cachedGet('interventions', '/api/v1/interventions/'),
    cachedGet('pupils', '/api/v1/pupils/'), cachedGet('enrolments', '/api/v1/enrolments/')]);
  if (!group || !catalogue || !pupils) {
    appendAll(main, h('p', { class: 'panel' }, 'This needs a connection the first time. Try again when online.'),
      h('a', { class: 'button secondary', href: '#/groups' }, 'Interventions and groups'));
    return;
  }
  const g = group.data;
  const intervention = catalogue.data.find((i) => i.id === g.intervention_id);
  if (!g.active) {
    appendAll(main, h('p', { class: 'panel' }, `${g.name} has ended, so pupils can no longer join it. Start a new group instead.`),
      h('div', { class: 'button-row' }, h('a', { class: 'button', href: `#/group-edit/new:${g.intervention_id}` }, 'Start a new group'),
        h('a', { class: 'button secondary', href: `#/group/${g.id}` }, 'Back to the group')));
    return;
  }
  const taken = new Set(((places && places.data) || []).filter((e) => e.group_id === id).map((e) => e.pupil_id));
  appendAll(main, h('p', { class: 'lead' }, groupTitle(g.name, intervention.name)),
    intervention.entry_criteria ? h('p', { class: 'panel' }, h('strong', {}, 'Who it is for: '), intervention.entry_criteria) : null,
    onlineNote() || '',
    enrolForm(g, intervention, pupils.data.filter((p) => p.on_roll !== false && !taken.has(p.id)), ctx));
}

/** The register first, then everyone else; a search over names narrows both. */
function pupilPicker(pupils) {
  const ordered = [...pupils].sort((a, b) => (a.sen_provision === 'N') - (b.sen_provision === 'N')
    || a.surname.localeCompare(b.surname) || a.forename.localeCompare(b.forename));
  const list = h('div', { class: 'choice-list', id: 'pupil-choices' });
  const count = h('p', { class: 'hint', 'aria-live': 'polite' });
  const search = input({ type: 'search', id: 'enrol-search', autocomplete: 'off' });
  const show = () => {
    const term = search.value.trim().toLowerCase();
    const keep = list.querySelector('input:checked');
    const matches = ordered.filter((p) => !term || `${personName(p)} ${p.forename} ${p.surname}`.toLowerCase().includes(term));
    const shown = matches.slice(0, SHOWN);
    const chosen = keep ? ordered.find((p) => String(p.id) === keep.value) : null;
    if (chosen && !shown.includes(chosen)) shown.unshift(chosen);
    list.replaceChildren(...shown.map((p) => h('label', { class: 'choice pupil-choice-row' },
      h('input', { type: 'radio', name: 'pupil_id', value: String(p.id), checked: chosen === p }),
      h('span', { class: 'choice-face' }, h('span', { class: 'word' }, personName(p)),
        h('span', { class: 'detail' }, ` · ${yearWords(p.year_group)} · ${senWords(p.sen_provision)}`)))));
    count.textContent = matches.length > SHOWN
      ? `Showing ${SHOWN} of ${matches.length}: type more of the name to narrow the list.`
      : (matches.length ? '' : 'No pupil matches that name.');
  };
  search.addEventListener('input', show);
  show();
  return formGroup('Pupil', [formField('Find a pupil', search, { hint: 'Type part of a first name or surname.' }), count, list],
    { name: 'pupil_id' });
}

function enrolForm(g, intervention, pupils, ctx) {
  const today = londonToday();
  const joined = input({ type: 'date', name: 'joined_on', value: g.start_date > today ? g.start_date : today });
  const entry = measureInput(intervention.measure_type, 'entry_data', `Entry ${measureNoun(intervention.measure_type)}`);
  const target = textarea({ name: 'target' });
  const success = textarea({ name: 'success_criteria', rows: 2 });
  const review = input({ type: 'date', name: 'target_review_date', value: g.review_date || '' });
  const problems = h('div', { class: 'problems' });
  const form = h('form', { novalidate: true, id: 'enrol-form' },
    pupilPicker(pupils),
    formField(LABELS.joined_on, joined, { name: 'joined_on' }),
    h('section', { 'aria-labelledby': 'entry-heading' }, h('h2', { id: 'entry-heading' }, 'Entry data'),
      h('p', { class: 'hint' }, `Measured by ${measureWords(intervention.measure_type).toLowerCase()}: the baseline the exit data is compared with.`),
      entry.element),
    h('section', { 'aria-labelledby': 'target-heading' }, h('h2', { id: 'target-heading' }, 'Target'),
      formField('SMART target', target, { name: 'target', hint: 'Specific and measurable: what the pupil will do, how well, by when.' }),
      formField(LABELS.success_criteria, success, { name: 'success_criteria', hint: 'How you will know, e.g. "in 4 of 5 sessions".' }),
      formField(LABELS.target_review_date, review, { name: 'target_review_date' })),
    problems,
    h('div', { class: 'button-row' }, h('button', { type: 'submit', class: 'button' }, 'Enrol'),
      h('a', { class: 'button secondary', href: `#/group/${g.id}` }, 'Cancel')));
  form.addEventListener('submit', saveOnce(async () => {
    const pupilId = checked(form, 'pupil_id');
    const measured = entry.read(true);
    const body = { group_id: g.id, pupil_id: pupilId ? Number(pupilId) : null, joined_on: joined.value || null,
      entry_data: measured.data, target: text(target.value), success_criteria: text(success.value),
      target_review_date: review.value || null };
    const found = [
      body.pupil_id ? null : ['pupil_id', 'Choose the pupil to enrol.'],
      dateProblem('joined_on', LABELS.joined_on, body.joined_on, FIELDS.joined_on),
      ...measured.problems,
      textProblem('target', LABELS.target, body.target, { ...FIELDS.target, required: true }),
      textProblem('success_criteria', LABELS.success_criteria, body.success_criteria, FIELDS.success_criteria),
      dateProblem('target_review_date', LABELS.target_review_date, body.target_review_date, FIELDS.target_review_date),
      body.joined_on && body.target_review_date && body.target_review_date <= body.joined_on
        ? ['target_review_date', 'The review must come after the day they join.'] : null,
    ].filter(Boolean);
    if (!showFormProblems(form, problems, found)) return false;
    const { error } = await send('POST', '/api/v1/enrolments/', body);
    if (error) { showFormProblems(form, problems, serverFormProblems(error, LABELS)); return false; }
    const name = form.querySelector('input[name="pupil_id"]:checked').closest('label').querySelector('.word').textContent;
    announce(`Enrolled ${name} from ${friendlyDate(body.joined_on)}.`);
    ctx.syncNow().catch(() => {});  // the session form lists the pupil on this device
    ctx.go('group', g.id);
    return true;
  }));
  return form;
}
