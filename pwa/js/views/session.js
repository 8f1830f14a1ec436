// Intervention running record (FORMS.md §2): pick the day and a group running on it, then one
// row per pupil. Defaults make a group of six loggable in about 20 seconds: today, the planned
// minutes, everyone present, delivered as planned. "#/session/<entry id>" opens a saved record
// to correct it: the same form, filled in, saved as a new version.
import * as db from '../db.js';
import { checkAnswers, checkCore } from '../check.js';
import { compact, questionsOf, templatesOf } from '../entries.js';
import { LIMITS } from '../limits.js';
import { photoPicker } from '../photos.js';
import { questionsBlock, visibleAnswers, visibleQuestions, withPhotos } from '../questions.js';
import { current, saveEntry } from '../records.js';
import { checked, choices, faceChoices, field, h, input, londonToday, personName, saveOnce, select,
  showProblems, text, textarea } from '../ui.js';
import { friendlyDate } from '../words.js';

const ATTENDANCE = [['present', 'Present'], ['absent', 'Absent'], ['late', 'Late']];
const DAY_MS = 24 * 60 * 60 * 1000;
const dayNumber = (iso) => Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);

/** The server's rule (sync/push/rosters.py): the day falls in the group's run, give or take the
 * margin, and the pupils are those enrolled on that day. */
function runsOn(group, day) {
  const start = dayNumber(group.start_date);
  const margin = LIMITS.session_run_margin_days;
  return day >= start - margin && day <= start + group.weeks * 7 - 1 + margin;
}

function enrolledOn(enrolments, group, iso) {
  return enrolments.filter((e) => e.group_id === group.id && e.joined_on <= iso
    && (!e.left_on || iso <= e.left_on)).map((e) => e.pupil_id);
}

export async function render(main, ctx) {
  const editing = ctx.arg ? await current(ctx.arg) : null;
  main.append(h('h1', {}, editing ? 'Correct a session record' : 'Session record'));
  if (ctx.arg && !editing) {
    main.append(h('p', { class: 'panel' }, 'This record is not on this device. Sync when online, then try again.'));
    return;
  }
  const groups = (await db.getRecords('group')).filter((g) => g.active !== false || editing);
  const enrolments = await db.getRecords('enrolment');
  const byId = new Map((await db.getRecords('pupil')).map((p) => [p.id, p]));
  const area = h('div', { id: 'session-form' });
  const picker = h('div', { id: 'group-picker' });
  const prior = editing ? editing.entry.core : null;
  const dateInput = input({ type: 'date', name: 'date', id: 'session-date', value: prior ? prior.date : londonToday(),
    max: londonToday(), required: true });
  const offer = () => {
    const iso = dateInput.value;
    const running = iso ? groups.filter((g) => (prior ? g.id === prior.group_id
      : runsOn(g, dayNumber(iso)) && enrolledOn(enrolments, g, iso).length)) : [];
    if (!running.length) {
      area.replaceChildren();
      picker.replaceChildren(h('p', { class: 'panel', id: 'no-groups' }, iso
        ? `None of your groups runs on ${friendlyDate(iso)} with pupils in it. Choose another day, or ask the SENCO to set the group up.`
        : 'Choose the day of the session.'));
      return;
    }
    const chosen = running.length === 1 ? running[0] : null;
    picker.replaceChildren(choices('Group', 'group', running.map((g) => ({ value: g.id, label: g.name })),
      chosen ? chosen.id : null, (id) => showForm(area, running.find((g) => String(g.id) === String(id)))));
    if (chosen) showForm(area, chosen); else area.replaceChildren();
  };
  const showForm = (container, group) => {
    const ids = new Set(enrolledOn(enrolments, group, dateInput.value));
    for (const row of prior ? prior.attendance : []) ids.add(row.pupil_id);
    const pupils = [...ids].map((id) => byId.get(id)).filter(Boolean)
      .sort((a, b) => a.surname.localeCompare(b.surname));
    return formFor(container, { group, pupils, dateInput, editing, ctx });
  };
  dateInput.addEventListener('change', offer);
  main.append(field('Date of the session', dateInput), picker, area);
  offer();
}

async function formFor(area, { group, pupils, dateInput, editing, ctx }) {
  const all = await templatesOf('session_record');
  const template = (editing && all.find((t) => t.template_id === editing.entry.template_id))
    || all.find((t) => t.template_id === chosenForm) || all.find((t) => t.template_id === 'session-record') || all[0];
  if (!template) {
    area.replaceChildren(h('p', {}, 'No session template yet. Sync when online.'));
    return;
  }
  const prior = editing ? editing.entry.core : {};
  // A school's own session form adds questions of its own after the session's fields.
  const extra = questionsOf(template.definition).filter((q) => !q.core && !q.section.repeat);
  const answers = { ...(editing ? editing.entry.answers : {}) };
  const picker = !editing && all.length > 1 ? formPicker(all, template, () => formFor(area, { group, pupils, dateInput, editing, ctx })) : null;
  const rows = new Map((prior.attendance || []).map((r) => [r.pupil_id, r]));
  const photos = [];
  const planned = prior.delivered_as_planned === false ? 'no' : 'yes';
  const changes = field('What changed?', textarea({ name: 'changes_made', value: prior.changes_made || '' }));
  changes.hidden = planned !== 'no';
  const errors = h('div', { class: 'error-slot' });
  const form = h('form', { novalidate: true, onsubmit: saveOnce(() =>
    save(form, { group, pupils, template, photos, errors, dateInput, editing, ctx, extra, answers })) },
  picker,
  h('div', { class: 'grid' },
    field('Minutes delivered', input({ type: 'number', name: 'minutes', min: 0, max: 300,
      inputmode: 'numeric', value: prior.minutes_delivered ?? group.minutes_per_session })),
    field('Start time', input({ type: 'time', name: 'start_time', value: prior.start_time || '' }))),
  choices('Delivered as planned?', 'planned', [{ value: 'yes', label: 'Yes' }, { value: 'no', label: 'No' }],
    planned, (v) => { changes.hidden = v !== 'no'; }),
  changes,
  h('h2', {}, `Pupils (${pupils.length})`),
  pupils.map((p) => pupilRow(p, rows.get(p.id))),
  h('details', { open: Boolean(prior.location || prior.withdrawn_from || prior.feedback_to_teacher) },
    h('summary', { class: 'button secondary' }, 'More about this session'),
    field('Where', input({ name: 'location', value: prior.location ?? group.location ?? '' })),
    field('Lesson the pupils were withdrawn from', input({ name: 'withdrawn_from', value: prior.withdrawn_from || '' })),
    field('Quick feedback to the class teacher', textarea({ name: 'feedback', value: prior.feedback_to_teacher || '' })),
    photoPicker('Add a photo of work', photos)),
  extra.length ? h('section', { class: 'form-questions', 'aria-labelledby': 'extra-heading' },
    h('h2', { id: 'extra-heading' }, template.title), questionsBlock(extra, answers)) : null,
  errors,
  h('button', { type: 'submit', class: 'button big' }, editing ? 'Save the correction' : 'Save session'));
  area.replaceChildren(form);
}

let chosenForm = null;

function formPicker(all, template, redraw) {
  const pick = select({ name: 'form', id: 'session-form-choice' }, all.map((t) => [t.template_id, t.title]),
    template.template_id);
  pick.addEventListener('change', () => { chosenForm = pick.value; redraw(); });
  return field('Form', pick, 'Your school may add questions of its own to the session record.');
}

/** The form's own questions, as answered: follow-ups only after their answer, photos by hash. */
function extraAnswers(extra, answers) {
  const { answers: given, blobs } = withPhotos(answers);
  const kept = visibleAnswers(extra, compact(given));
  const asked = visibleQuestions(extra, kept);
  const found = asked.filter((q) => q.required && kept[q.id] === undefined)
    .map((q) => `${q.prompt}: an answer is needed.`);
  return { answers: kept, blobs: blobs.filter((b) => Object.values(kept).flat().includes(b.sha256)),
    found: [...found, ...checkAnswers(asked, kept)] };
}

function pupilRow(pupil, prior = {}) {
  const status = prior.status || 'present';
  const reason = field('Reason for absence', input({ name: `reason-${pupil.id}`, value: prior.absence_reason || '' }));
  reason.hidden = status !== 'absent';
  return h('div', { class: 'card pupil-row compact', dataset: { pupilId: pupil.id } },
    h('h3', {}, personName(pupil)),
    h('div', { class: 'row-top' },
      h('div', {}, choices('Attendance', `att-${pupil.id}`,
        ATTENDANCE.map(([value, label]) => ({ value, label })), status,
        (v) => { reason.hidden = v !== 'absent'; }), reason),
      faceChoices('Engagement', `eng-${pupil.id}`, 5, prior.engagement ?? null)),
    h('div', { class: 'wide grid' },
      field('Step or target worked on', input({ name: `step-${pupil.id}`, value: prior.step || '' })),
      field('Short note', input({ name: `note-${pupil.id}`, value: prior.note || '' })),
      field('Score', input({ type: 'number', name: `score-${pupil.id}`, step: 'any', inputmode: 'decimal',
        value: prior.score ?? '' }))));
}

/** Read the form into core fields exactly as SessionRecordCore expects. */
function readCore(form, { group, pupils, photos, dateInput, editing }) {
  const value = (name) => form.elements[name].value;
  const planned = checked(form, 'planned') !== 'no';
  const kept = editing ? editing.entry.core.attachments || [] : [];
  return {
    group_id: group.id,
    date: dateInput.value,
    start_time: value('start_time') || null,
    minutes_delivered: value('minutes') === '' ? null : Number(value('minutes')),
    location: text(value('location')),
    withdrawn_from: text(value('withdrawn_from')),
    delivered_as_planned: planned,
    changes_made: planned ? null : text(value('changes_made')),
    feedback_to_teacher: text(value('feedback')),
    attachments: [...kept, ...photos.map((p) => p.sha256)],
    attendance: pupils.map((p) => {
      const status = checked(form, `att-${p.id}`) || 'present';
      const engagement = checked(form, `eng-${p.id}`);
      const score = value(`score-${p.id}`);
      return { pupil_id: p.id, status,
        absence_reason: status === 'absent' ? text(value(`reason-${p.id}`)) : null,
        engagement: engagement && status !== 'absent' ? Number(engagement) : null,
        step: text(value(`step-${p.id}`)), score: score === '' ? null : Number(score),
        note: text(value(`note-${p.id}`)) };
    }),
  };
}

function problems(core, pupils) {
  const names = { pupil: (id) => personName(pupils.find((p) => p.id === id) || { forename: 'a pupil', surname: '' }).trim() };
  const found = [];
  if (!core.date) found.push('Date: choose the day of the session.');
  if (core.minutes_delivered !== null && !Number.isInteger(core.minutes_delivered)) {
    found.push('Minutes delivered: a whole number of minutes.');
  }
  if (!core.delivered_as_planned && !core.changes_made) found.push('What changed: say what changed.');
  return [...found, ...checkCore('session_record', core, names)];
}

async function save(form, { group, pupils, template, photos, errors, dateInput, editing, ctx, extra, answers }) {
  const core = readCore(form, { group, pupils, photos, dateInput, editing });
  const more = extraAnswers(extra, answers);
  if (!showProblems(errors, [...problems(core, pupils), ...more.found])) return false;
  await saveEntry({ kind: 'session_record', template, core, editing, answers: more.answers,
    blobs: [...photos, ...more.blobs],
    summary: `Session record: ${group.name}, ${friendlyDate(core.date)}` });
  ctx.go('home');
  return true;
}
