// Intervention running record (FORMS.md §2): pick a group, then one row per pupil. Defaults make
// a group of six loggable in about 20 seconds: today, the planned minutes, everyone present,
// delivered as planned. The TA only taps a face per pupil and saves.
import * as db from '../db.js';
import * as outbox from '../outbox.js';
import { entryOp, templatesOf } from '../entries.js';
import { photoPicker } from '../photos.js';
import { announce, checked, choices, errorList, faceChoices, field, h, input, londonToday,
  personName, text, textarea } from '../ui.js';

const ATTENDANCE = [['present', 'Present'], ['absent', 'Absent'], ['late', 'Late']];

export async function render(main, ctx) {
  const groups = (await db.getRecords('group')).filter((g) => g.active !== false);
  const area = h('div', { id: 'session-form' });
  main.append(h('h1', {}, 'Session record'));
  if (!groups.length) {
    main.append(h('p', {}, 'You have no groups to record. Sync when online to fetch them.'));
    return;
  }
  const pick = choices('Group', 'group', groups.map((g) => ({ value: g.id, label: g.name })),
    groups.length === 1 ? groups[0].id : null,
    (id) => showForm(area, groups.find((g) => String(g.id) === String(id)), ctx));
  main.append(pick, area);
  if (groups.length === 1) await showForm(area, groups[0], ctx);
}

async function pupilsOf(group) {
  const enrolled = (await db.getRecords('enrolment'))
    .filter((e) => e.group_id === group.id && !e.left_on).map((e) => e.pupil_id);
  const pupils = await Promise.all(enrolled.map((id) => db.getRecord('pupil', String(id))));
  return pupils.filter(Boolean).sort((a, b) => a.surname.localeCompare(b.surname));
}

async function showForm(area, group, ctx) {
  const all = await templatesOf('session_record');
  const template = all.find((t) => t.template_id === 'session-record') || all[0];
  if (!template) {
    area.replaceChildren(h('p', {}, 'No session template yet. Sync when online.'));
    return;
  }
  const pupils = await pupilsOf(group);
  const photos = [];
  const changes = field('What changed?', textarea({ name: 'changes_made' }));
  changes.hidden = true;
  const errors = h('div', { class: 'error-slot' });
  const form = h('form', { novalidate: true, onsubmit: (event) => {
    event.preventDefault();
    save(form, { group, pupils, template, photos, errors, ctx });
  } },
  h('div', { class: 'grid' },
    field('Date', input({ type: 'date', name: 'date', value: londonToday(), required: true })),
    field('Minutes delivered', input({ type: 'number', name: 'minutes', min: 0, max: 300,
      inputmode: 'numeric', value: group.minutes_per_session })),
    field('Start time', input({ type: 'time', name: 'start_time' }))),
  choices('Delivered as planned?', 'planned', [{ value: 'yes', label: 'Yes' }, { value: 'no', label: 'No' }],
    'yes', (v) => { changes.hidden = v !== 'no'; }),
  changes,
  h('h2', {}, `Pupils (${pupils.length})`),
  pupils.map(pupilRow),
  h('details', {}, h('summary', { class: 'button secondary' }, 'More about this session'),
    field('Where', input({ name: 'location', value: group.location || '' })),
    field('Lesson the pupils were withdrawn from', input({ name: 'withdrawn_from' })),
    field('Quick feedback to the class teacher', textarea({ name: 'feedback' })),
    photoPicker('Add a photo of work', photos)),
  errors,
  h('button', { type: 'submit', class: 'button big' }, 'Save session'));
  area.replaceChildren(form);
}

function pupilRow(pupil) {
  const reason = field('Reason for absence', input({ name: `reason-${pupil.id}` }));
  reason.hidden = true;
  return h('div', { class: 'card pupil-row compact', dataset: { pupilId: pupil.id } },
    h('h3', {}, personName(pupil)),
    h('div', { class: 'row-top' },
      h('div', {}, choices('Attendance', `att-${pupil.id}`,
        ATTENDANCE.map(([value, label]) => ({ value, label })), 'present',
        (v) => { reason.hidden = v !== 'absent'; }), reason),
      faceChoices('Engagement', `eng-${pupil.id}`, 5, null)),
    h('div', { class: 'wide grid' },
      field('Step or target worked on', input({ name: `step-${pupil.id}` })),
      field('Short note', input({ name: `note-${pupil.id}` })),
      field('Score', input({ type: 'number', name: `score-${pupil.id}`, step: 'any', inputmode: 'decimal' }))));
}

/** Read the form into core fields exactly as SessionRecordCore expects. */
function readCore(form, group, pupils, photos) {
  const value = (name) => form.elements[name].value;
  const planned = checked(form, 'planned') !== 'no';
  return {
    group_id: group.id,
    date: value('date'),
    start_time: value('start_time') || null,
    minutes_delivered: Number(value('minutes')),
    location: text(value('location')),
    withdrawn_from: text(value('withdrawn_from')),
    delivered_as_planned: planned,
    changes_made: planned ? null : text(value('changes_made')),
    feedback_to_teacher: text(value('feedback')),
    attachments: photos.map((p) => p.sha256),
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

function problems(core) {
  const found = [];
  if (!core.date) found.push('Date: choose the day of the session.');
  if (!Number.isInteger(core.minutes_delivered) || core.minutes_delivered < 0 || core.minutes_delivered > 300) {
    found.push('Minutes delivered: a whole number from 0 to 300.');
  }
  if (!core.delivered_as_planned && !core.changes_made) found.push('What changed: say what changed.');
  if (!core.attendance.length) found.push('Pupils: this group has no pupils.');
  return found;
}

async function save(form, { group, pupils, template, photos, errors, ctx }) {
  const core = readCore(form, group, pupils, photos);
  const found = problems(core);
  errors.replaceChildren(errorList(found));
  if (found.length) return;
  await outbox.save(entryOp('session_record', template, core, {}),
    { kind: 'session_record', summary: `Session record: ${group.name}, ${core.date}`, blobs: photos });
  announce(`Saved the session for ${group.name}. It will sync when online.`);
  ctx.go('home');
}
