// Structured conversation with parents (FORMS.md §4): Explore, Focus, Plan, Review with their
// prompts, then attendees, targets, actions and follow-up. Questions marked "core" in the
// template fill the entry's typed core fields; the rest are template answers.
import * as db from '../db.js';
import { checkAnswers, checkCore } from '../check.js';
import { compact, questionsOf, templatesOf } from '../entries.js';
import { current, saveEntry } from '../records.js';
import { cleanRows, listEditor } from '../lists.js';
import { questionControl, withPhotos } from '../questions.js';
import { session } from '../state.js';
import { announce, choices, field, h, input, londonToday, personName, saveOnce, select,
  showProblems } from '../ui.js';
import { friendlyDate } from '../words.js';

const LIST_KEYS = ['attendees', 'targets', 'actions', 'pupil_id', 'date', 'pupil_participation'];
const asText = (rows) => rows.map((row) => Object.fromEntries(Object.entries(row)
  .map(([k, v]) => [k, v === null || v === undefined ? '' : v])));

export async function render(main, ctx) {
  const pupils = (await db.getRecords('pupil')).sort((a, b) => a.surname.localeCompare(b.surname));
  const templates = await templatesOf('conversation');
  const editing = ctx.arg ? await current(ctx.arg) : null;
  const prior = editing ? editing.entry : null;
  const template = (prior && templates.find((t) => t.template_id === prior.template_id))
    || templates.find((t) => t.template_id === chosen) || templates.find((t) => t.template_id === BUILT_IN)
    || templates[0];
  main.append(h('h1', {}, editing ? 'Correct a conversation record' : 'Conversation with parents'));
  if (!prior && templates.length > 1) main.append(formPicker(templates, template, main, ctx));
  if (ctx.arg && !editing) {
    main.append(h('p', { class: 'panel' }, 'This record is not on this device. Sync when online, then try again.'));
    return;
  }
  if (!pupils.length || !template) {
    main.append(h('p', {}, 'Nothing to record yet. Sync when online to fetch your pupils and forms.'));
    return;
  }
  const def = template.definition;
  const data = prior ? {
    answers: { ...prior.answers },
    core: Object.fromEntries(Object.entries(prior.core).filter(([k]) => !LIST_KEYS.includes(k))),
    participation: prior.core.pupil_participation || 'not_involved',
    attendees: asText(prior.core.attendees || []), targets: asText(prior.core.targets || []),
    actions: asText(prior.core.actions || []),
  } : { answers: {}, core: {}, participation: 'not_involved',
    attendees: [{ name: session.staff.name, role: 'key_teacher' }, { name: '', role: 'parent' }],
    targets: [], actions: [] };
  const roles = (def.attendee_roles || []).map((r) => [r.value, r.label]);
  const musts = Object.fromEntries((def.musts || []).map((m) => [m.value, m.label]));
  const errors = h('div', { class: 'error-slot' });
  const form = h('form', { novalidate: true, onsubmit: saveOnce(() =>
    save(form, { template, data, errors, pupils, ctx, editing })) },
  h('div', { class: 'grid' },
    field('Pupil', select({ name: 'pupil', disabled: Boolean(prior) }, [['', 'Choose a pupil'],
      ...pupils.map((p) => [p.id, personName(p)])], prior ? prior.core.pupil_id : '')),
    field('Date', input({ type: 'date', name: 'date', value: prior ? prior.core.date : londonToday(),
      max: londonToday() }))),
  h('p', { class: 'hint' }, (def.guidance || []).join(' ')),
  listEditor('Who attended', 'attendee', [{ key: 'name', label: 'Name' },
    { key: 'role', label: 'Role', type: 'select', options: roles }], data.attendees,
  () => ({ name: '', role: 'parent' })),
  choices('Pupil involvement', 'participation', (def.pupil_participation || []).map((p) =>
    ({ value: p.value, label: p.label })), data.participation, (v) => { data.participation = v; }),
  (def.sections || []).map((s) => stage(s, data, musts)),
  errors,
  h('button', { type: 'submit', class: 'button big' }, editing ? 'Save the correction' : 'Save conversation'));
  main.append(form);
}

// A school may publish its own conversation forms (#/forms): staff choose which to fill.
const BUILT_IN = 'conversation-structured';
let chosen = null;

function formPicker(templates, template, main, ctx) {
  const pick = select({ name: 'form', id: 'conversation-form' }, templates.map((t) => [t.template_id, t.title]),
    template.template_id);
  pick.addEventListener('change', () => {
    chosen = pick.value;
    main.replaceChildren();
    render(main, ctx);
  });
  return field('Form', pick, 'Choose before you start: changing the form starts it again.');
}

/** One stage: its description, the "musts" its prompts serve, and its questions. */
function stage(section, data, musts) {
  const served = [...new Set(section.questions.flatMap((q) => (q.tags || [])
    .filter((t) => t.startsWith('must:')).map((t) => musts[t.slice(5)]).filter(Boolean)))];
  const el = h('section', { class: 'stage', 'aria-labelledby': `stage-${section.id}` },
    h('h2', { id: `stage-${section.id}` }, section.title),
    section.description ? h('p', {}, section.description) : null,
    served.length ? h('ul', { class: 'prompts' }, served.map((m) => h('li', {}, m))) : null,
    section.questions.map((q) => questionControl(q, q.core ? data.core : data.answers)));
  if (section.id === 'plan') {
    el.append(
      listEditor('Agreed targets', 'target', [{ key: 'wording', label: 'Target' },
        { key: 'success_criteria', label: 'Success criteria' },
        { key: 'review_date', label: 'Review date', type: 'date' }], data.targets,
      () => ({ wording: '', success_criteria: '', review_date: '' })),
      listEditor('Actions', 'action', [{ key: 'action', label: 'Action' }, { key: 'owner', label: 'Owner' },
        { key: 'due_date', label: 'Due date', type: 'date' }], data.actions,
      () => ({ action: '', owner: '', due_date: '' })));
  }
  return el;
}

function readCore(form, data) {
  const attendees = cleanRows(data.attendees, ['name']).map((a) => ({ name: a.name, role: a.role }));
  return {
    ...compact(data.core),
    pupil_id: Number(form.elements.pupil.value),
    date: form.elements.date.value,
    attendees,
    pupil_participation: data.participation,
    targets: cleanRows(data.targets, ['wording']),
    actions: cleanRows(data.actions, ['action']),
  };
}

function problems(core, answers, template) {
  const found = [];
  if (!core.pupil_id) found.push('Pupil: choose who the conversation is about.');
  if (!core.date) found.push('Date: choose the day of the meeting.');
  if (!core.attendees.length) found.push('Who attended: add at least one person.');
  for (const a of core.actions) if (!a.owner) found.push(`Action "${a.action}": say who owns it.`);
  for (const s of template.definition.sections || []) {
    for (const q of s.questions) {
      if (q.required && !q.core && answers[q.id] === undefined) found.push(`${q.prompt}: this is needed.`);
    }
  }
  return found;
}

async function save(form, { template, data, errors, pupils, ctx, editing }) {
  const core = readCore(form, data);
  const { answers: given, blobs } = withPhotos(data.answers);
  const answers = compact(given);
  const names = { pupil: (id) => personName(pupils.find((p) => p.id === id)) };
  const found = [...problems(core, answers, template), ...checkCore('conversation', core, names),
    ...checkAnswers(questionsOf(template.definition), answers)];
  if (!showProblems(errors, [...new Set(found)])) return false;
  const pupil = pupils.find((p) => p.id === core.pupil_id);
  await saveEntry({ kind: 'conversation', template, core, answers, editing, blobs,
    summary: `Conversation: ${personName(pupil)}, ${friendlyDate(core.date)}` });
  announce('Saved the conversation. Open it from "Recently saved" to print a copy for the parents.');
  ctx.go('home');
  return true;
}
