// A saved record in words, for reading it back: each kind as a list of [label, text] rows, with
// answers in the words of the template (the face the pupil chose, RAG as word and shape), dates
// in the one friendly style, and people by name. No codes, no field names.
import * as db from './db.js';
import { get } from './api.js';
import { FACES3, FACES5, RAG, personName } from './ui.js';
import { friendlyDate, friendlyDateTime, plural } from './words.js';

export const KIND_TITLES = { session_record: 'Session record', pupil_voice: 'Pupil voice',
  conversation: 'Conversation with parents', learning_walk: 'Learning walk' };
// The form that corrects each kind.
export const KIND_ROUTES = { session_record: 'session', pupil_voice: 'voice', conversation: 'conversation',
  learning_walk: 'walk' };
const ATTENDANCE = { present: 'Present', absent: 'Absent', late: 'Late' };

/** Names for ids the record holds: pupils, staff, groups, classes, from this device's copy. */
export async function lookups() {
  const byId = async (type) => new Map((await db.getRecords(type)).map((r) => [r.id, r]));
  const [pupils, staff, groups, classes] = await Promise.all(['pupil', 'staff', 'group', 'class'].map(byId));
  return {
    pupil: (id) => (pupils.has(id) ? personName(pupils.get(id)) : 'A pupil not on this device'),
    staff: (id) => (staff.has(id) ? staff.get(id).name : 'A member of staff'),
    group: (id) => (groups.has(id) ? groups.get(id).name : 'A group'),
    klass: (id) => (classes.has(id) ? classes.get(id).name : 'A class'),
  };
}

/** The template this version was filled from (or the newest of that id), if on this device. */
export async function templateOf(entry) {
  const all = (await db.getRecords('template')).filter((t) => t.template_id === entry.template_id);
  const exact = all.find((t) => t.version === entry.template_version) || await fetchVersion(entry);
  return exact || all.sort((a, b) => b.version - a.version)[0] || null;
}

/** A school form's older version (pull carries the newest only): fetched once, then kept. */
async function fetchVersion(entry) {
  if (!navigator.onLine) return null;
  try {
    const t = await get(`/api/v1/templates/${encodeURIComponent(entry.template_id)}/versions/${entry.template_version}`);
    const held = { template_id: t.template_id, version: t.version, kind: t.kind, title: t.title, definition: t.definition };
    await db.putRecords('template', [[`${t.template_id}/${t.version}`, held]]);
    return held;
  } catch {
    return null;
  }
}

const ragWords = (value) => {
  const rag = RAG.find((r) => r.value === value);
  return rag ? `${rag.glyph} ${rag.word}` : value;
};

/** An answer as the person who gave it would say it. */
export function answerWords(q, value) {
  if (value === null || value === undefined || value === '') return 'Not answered';
  if (q.type === 'faces3') return FACES3[value - 1] || String(value);
  if (q.type === 'faces5') return FACES5[value - 1] || String(value);
  if (q.type === 'rag') return ragWords(value);
  if (q.type === 'boolean') return value ? 'Yes' : 'No';
  const label = (v) => ((q.options || []).find((o) => o.value === v) || {}).label || v;
  if (q.type === 'choice') return label(value);
  if (q.type === 'multichoice') return [].concat(value).map(label).join(', ');
  if (q.type === 'date') return friendlyDate(value);
  if (q.type === 'datetime') return friendlyDateTime(value);
  if (q.type === 'photo') return plural([].concat(value).length, 'photo');
  return String(value);
}

function answerRows(template, entry, skip = () => false) {
  if (!template) return [];
  return (template.definition.sections || []).flatMap((s) => s.questions)
    .filter((q) => !skip(q))
    .map((q) => [q.prompt.replace('{intervention}', 'the group sessions'),
      answerWords(q, q.core ? entry.core[q.core] : entry.answers[q.id])])
    .filter(([, words]) => words !== 'Not answered');
}

const optionLabel = (list, value) => ((list || []).find((o) => o.value === value) || {}).label || value;

function sessionRows(entry, names, template) {
  const c = entry.core;
  const rows = [['Group', names.group(c.group_id)], ['Minutes delivered', String(c.minutes_delivered)],
    ['Delivered as planned', c.delivered_as_planned ? 'Yes' : `No: ${c.changes_made || ''}`]];
  for (const a of c.attendance || []) {
    const parts = [ATTENDANCE[a.status] || a.status];
    if (a.absence_reason) parts.push(a.absence_reason);
    if (a.engagement) parts.push(`engagement ${FACES5[a.engagement - 1]}`);
    if (a.step) parts.push(`worked on: ${a.step}`);
    if (a.score !== null && a.score !== undefined) parts.push(`score ${a.score}`);
    if (a.note) parts.push(a.note);
    rows.push([names.pupil(a.pupil_id), parts.join('; ')]);
  }
  if (c.feedback_to_teacher) rows.push(['Feedback to the class teacher', c.feedback_to_teacher]);
  // A school's own session form: its questions beyond the session's fields.
  rows.push(...answerRows(template, entry, (q) => Boolean(q.core)));
  return rows;
}

function walkRows(entry, names, template) {
  const c = entry.core;
  const def = template ? template.definition : {};
  const questions = new Map((def.sections || []).flatMap((s) => s.questions).map((q) => [q.id, q.prompt]));
  const rows = [['Walkers', (c.walkers || []).map((w) => `${w.name} (${optionLabel(def.walker_roles, w.role)})`).join(', ')]];
  (c.stops || []).forEach((s, i) => {
    const place = [s.class_id ? names.klass(s.class_id) : null, s.area, s.time].filter(Boolean).join(', ');
    const seen = (s.judgements || []).map((j) => `${questions.get(j.look_for) || j.look_for}: ${ragWords(j.rag)}`
      + `${j.note ? ` (${j.note})` : ''}`);
    rows.push([`Stop ${i + 1}: ${place || 'no place given'}`, seen.join('; ') || 'No judgements']);
  });
  if (c.strengths) rows.push(['Strengths', c.strengths]);
  if (c.areas_for_development) rows.push(['Areas for development', c.areas_for_development]);
  for (const a of c.actions || []) {
    rows.push(['Action', `${a.action}, by ${a.owner}${a.due_date ? `, by ${friendlyDate(a.due_date)}` : ''}`]);
  }
  return rows;
}

function conversationRows(entry, names, template) {
  const c = entry.core;
  const def = template ? template.definition : {};
  const rows = [['Pupil', names.pupil(c.pupil_id)],
    ['Who attended', (c.attendees || []).map((a) => `${a.name} (${optionLabel(def.attendee_roles, a.role)})`).join(', ')]];
  rows.push(...answerRows(template, entry));
  for (const t of c.targets || []) {
    rows.push(['Agreed target', `${t.wording}${t.review_date ? `, review ${friendlyDate(t.review_date)}` : ''}`]);
  }
  for (const a of c.actions || []) {
    rows.push(['Action', `${a.action}, by ${a.owner}${a.due_date ? `, by ${friendlyDate(a.due_date)}` : ''}`]);
  }
  return rows;
}

function voiceRows(entry, names, template) {
  const c = entry.core;
  const def = template ? template.definition : {};
  return [['Pupil', names.pupil(c.pupil_id)], ['Context', optionLabel(def.contexts, c.context)],
    ['How the views were given', `${optionLabel(def.modes, c.mode)}${c.supported_by ? `, with ${c.supported_by}` : ''}`],
    ...(c.group_id ? [['Intervention', names.group(c.group_id)]] : []),
    ...(c.partial ? [['Finished?', 'No: the pupil stopped part-way']] : []),
    ...answerRows(template, entry)];
}

/** The rows of a record, in reading order. */
export function describe(entry, names, template) {
  if (entry.deleted) return [['Status', 'Withdrawn']];
  const rows = { session_record: sessionRows, learning_walk: walkRows, conversation: conversationRows,
    pupil_voice: voiceRows }[entry.kind](entry, names, template);
  if (entry.core.attachments && entry.core.attachments.length) {
    rows.push(['Photos and drawings', plural(entry.core.attachments.length, 'picture')]);
  }
  return rows;
}
