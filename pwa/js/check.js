// Checking a record before it is saved, and explaining what the server refused, in the words
// of the form: "Note for Jake Hale is too long: 10,000 characters, at most 5,000." Never a
// field path, never "op". The limits are the server's own (js/limits.js is generated from
// its schemas), so what passes here is what the server accepts.
import { LIMITS } from './limits.js';

const LABELS = {
  date: 'Date', minutes_delivered: 'Minutes delivered', start_time: 'Start time', location: 'Where',
  withdrawn_from: 'Lesson the pupils were withdrawn from', changes_made: 'What changed',
  feedback_to_teacher: 'Feedback to the class teacher', attendance: 'Pupils', status: 'Attendance',
  absence_reason: 'Reason for absence', engagement: 'Engagement', step: 'Step or target worked on',
  score: 'Score', note: 'Note', supported_by: 'Who supported the pupil', mode: 'How the views were given',
  context: 'Context', attendees: 'Who attended', name: 'Name', role: 'Role', targets: 'Agreed targets',
  wording: 'Target', success_criteria: 'Success criteria', review_date: 'Review date', actions: 'Actions',
  action: 'Action', owner: 'Who', due_date: 'By when', keep_in_touch: 'Keeping in touch',
  next_meeting: 'Next meeting', duration_minutes: 'Length of the meeting', parent_comments: "Parent's comments",
  walkers: 'Walkers', stops: 'Stops', area: 'Area', time: 'Time', judgements: 'Judgements', rag: 'Judgement',
  purposes: 'Purpose', strengths: 'Strengths', areas_for_development: 'Areas for development',
  attachments: 'Photos', concern_note: 'Concern note', pupil_id: 'Pupil', group_id: 'Group',
  evidence_type: 'Evidence', look_for: 'Look-for', pupil_participation: 'Pupil involvement',
};
const ROW_NOUN = { attendees: 'attendee', targets: 'target', actions: 'action', walkers: 'walker',
  stops: 'stop', judgements: 'judgement' };

const count = (n) => Number(n).toLocaleString('en-GB');
const characters = (value) => [...value].length;  // code points, as the server counts
const labelOf = (key) => LABELS[key] || key.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());

/**
 * names: {pupil(id) -> "Jake Hale", question(id) -> prompt}. The row a message is about:
 * an attendance row by its pupil, a stop by its number, a judgement by its look-for.
 */
function rowName(listKey, item, index, names) {
  if (listKey === 'attendance' && item && names.pupil) return names.pupil(item.pupil_id);
  if (listKey === 'judgements' && item && names.question) return names.question(item.look_for);
  return `${ROW_NOUN[listKey] || 'row'} ${index + 1}`;
}

const where = (row) => (row ? ` for ${row}` : '');

function valueProblem(label, row, rule, value) {
  const missing = value === undefined || value === null || value === '';
  if (missing) return rule.required ? `${label}${where(row)} is needed.` : null;
  if (typeof value === 'string' && rule.maxLength !== undefined && characters(value) > rule.maxLength) {
    return `${label}${where(row)} is too long: ${count(characters(value))} characters, at most ${count(rule.maxLength)}.`;
  }
  if (Array.isArray(value)) {
    if (rule.minLength && value.length < rule.minLength) return `${label}: add at least ${count(rule.minLength)}.`;
    if (rule.maxLength !== undefined && value.length > rule.maxLength) {
      return `${label}: at most ${count(rule.maxLength)}, not ${count(value.length)}.`;
    }
  }
  if (typeof value === 'number' && ((rule.min !== undefined && value < rule.min)
    || (rule.max !== undefined && value > rule.max))) {
    return `${label}${where(row)} must be from ${count(rule.min)} to ${count(rule.max)}.`;
  }
  return null;
}

function checkFields(rules, data, names, row) {
  const found = [];
  for (const [key, rule] of Object.entries(rules)) {
    const value = data ? data[key] : undefined;
    const problem = valueProblem(labelOf(key), row, rule, value);
    if (problem) found.push(problem);
    if (rule.items && Array.isArray(value)) {
      value.forEach((item, i) => found.push(...checkFields(rule.items.fields, item, names,
        rowName(key, item, i, names))));
    }
  }
  return found;
}

/** Messages for a core that the server would refuse, in the form's words. */
export function checkCore(kind, core, names = {}) {
  const rules = LIMITS.core[kind];
  return rules ? checkFields(rules.fields, core, names, null) : [];
}

/** Messages for text answers over the server's limit. questions: the template's questions. */
export function checkAnswers(questions, answers) {
  const found = [];
  for (const q of questions) {
    const limit = LIMITS.answer_text[q.type];
    const value = answers[q.id];
    if (limit && typeof value === 'string' && characters(value) > limit) {
      found.push(`${q.prompt} is too long: ${count(characters(value))} characters, at most ${count(limit)}.`);
    }
  }
  return found;
}

const MESSAGE_WORDS = [
  [/^Longer than maximum length (\d+)\.$/, (m, label, row, value) => (typeof value === 'string'
    ? `${label}${where(row)} is too long: ${count(characters(value))} characters, at most ${count(m[1])}.`
    : `${label}${where(row)} is too long: at most ${count(m[1])}.`)],
  [/^Missing data for required field\.$/, (m, label, row) => `${label}${where(row)} is needed.`],
];

function sentence(message, label, row, value) {
  for (const [pattern, words] of MESSAGE_WORDS) {
    const match = pattern.exec(message);
    if (match) return words(match, label, row, value);
  }
  const lead = `${label}${where(row)}`;
  return /[?!]$/.test(lead) ? `${lead} ${message}` : `${lead}: ${message}`;
}

function explainIn(errors, data, names, label, row, listKey) {
  if (Array.isArray(errors)) return errors.map((m) => sentence(String(m), label, row, data));
  if (!errors || typeof errors !== 'object') return [];
  return Object.entries(errors).flatMap(([key, value]) => {
    if (/^\d+$/.test(key) && listKey) {
      const item = Array.isArray(data) ? data[Number(key)] : undefined;
      return explainIn(value, item, names, label, rowName(listKey, item, Number(key), names), null);
    }
    if (key === '_schema') return explainIn(value, data, names, label, row, null);
    const child = data && typeof data === 'object' ? data[key] : undefined;
    return explainIn(value, child, names, labelOf(key), row, key);
  });
}

/**
 * The server's field errors for an entry op, as sentences. errors is the push result's
 * `errors`: {entry: {core: {...}, answers: {...}}} or messages about the op itself.
 */
export function explain(errors, op, names = {}) {
  const entry = op && op.entry ? op.entry : {};
  const found = [];
  for (const [key, value] of Object.entries(errors || {})) {
    if (key !== 'entry') { found.push(...explainIn(value, undefined, names, 'This record', null, null)); continue; }
    for (const [part, inner] of Object.entries(value || {})) {
      if (part === 'core') found.push(...explainIn(inner, entry.core, names, 'This record', null, null));
      else if (part === 'answers') {
        found.push(...Object.entries(inner || {}).flatMap(([qid, messages]) => explainIn(messages,
          (entry.answers || {})[qid], names, names.question ? names.question(qid) : labelOf(qid), null, null)));
      } else found.push(...explainIn(inner, entry[part], names, 'This record', null, null));
    }
  }
  return [...new Set(found)];
}
