// A school form being built: a draft kept on this device until it is published (so nothing typed
// is lost to a failed save or a closed tab), turned into the definition the server checks
// (schemas/templates.py) and checked first with the server's own limits, in plain words.
import * as db from './db.js';
import { SETTINGS, textProblem } from './settings.js';
import { session } from './state.js';

const RULES = SETTINGS.template.fields;
const SECTION = RULES.sections.items.fields;
const QUESTION = SECTION.questions.items.fields;
const OPTION = QUESTION.options.items.fields;

/** The types a school can add, in the words the builder shows. */
export const TYPES = [
  ['faces5', 'Faces, 5 points'], ['faces3', 'Faces, 3 points'], ['rag', 'Red, amber, green'],
  ['boolean', 'Yes or no'], ['choice', 'Choose one from a list'], ['number', 'A number'],
  ['text', 'Short text'], ['longtext', 'Longer text'], ['photo', 'Photos'],
];
export const TYPE_WORDS = { ...Object.fromEntries(TYPES), multichoice: 'Choose any from a list',
  scale: 'Numbered scale', date: 'A date', time: 'A time', datetime: 'A date and time',
  leuven: 'Leuven well-being and involvement' };
export const KIND_WORDS = { pupil_voice: 'Pupil voice', session_record: 'Session records',
  conversation: 'Conversations with parents', learning_walk: 'Learning walks' };
const CONDITION_TYPES = ['choice', 'multichoice', 'rag', 'faces3', 'faces5', 'scale', 'boolean'];
const NOT_HEADER = new Set(['id', 'version', 'kind', 'title', 'description', 'sections', 'source']);

let counter = 0;
export const localKey = () => `k${Date.now().toString(36)}${(counter += 1)}`;

/** What a section lets a school do: add anything, add look-fors only, or nothing. */
export function sectionMode(section) {
  if (section.repeat === 'per_stop') return 'look-fors';
  if (section.repeat) return 'locked';
  return 'open';
}

/** A question the builder must keep as it is: the app files it in the record's own fields. */
export const isLocked = (q, section) => Boolean(q.core) || sectionMode(section) === 'locked';

/** A new draft from a template as the server lists it. copy: a new school form from it. */
export function draftFrom(template, { copy }) {
  const def = template.definition;
  return {
    key: copy ? `new-${localKey()}` : `edit-${template.template_id}`,
    staff_id: session.staff.id,
    kind: template.kind,
    template_id: copy ? null : template.template_id,
    base_version: copy ? null : template.version,
    copied_from: { template_id: template.template_id, version: template.version, title: template.title },
    title: copy ? `${template.title} (our school)` : template.title,
    description: def.description || '',
    header: Object.fromEntries(Object.entries(def).filter(([k]) => !NOT_HEADER.has(k))),
    sections: def.sections.map((s) => ({ ...s, questions: s.questions.map((q) => ({ ...q, _key: localKey(),
      options: q.options ? q.options.map((o) => ({ ...o })) : undefined })) })),
    updated_at: null,
    fresh: true,  // not changed yet: nothing to "carry on" from
  };
}

export function newQuestion(type) {
  return { _key: localKey(), _new: true, id: null, prompt: '', type, required: false,
    options: type === 'choice' ? [{ value: null, label: '' }, { value: null, label: '' }] : undefined };
}

// --- kept on this device ----------------------------------------------------------------------

const INDEX = 'form-drafts';
export async function saveDraft(draft) {
  draft.updated_at = new Date().toISOString();
  await db.setMeta(`form-draft:${draft.key}`, draft);
  const keys = new Set((await db.getMeta(INDEX)) || []);
  if (!keys.has(draft.key)) await db.setMeta(INDEX, [...keys, draft.key]);
}
export async function loadDraft(key) {
  const draft = await db.getMeta(`form-draft:${key}`);
  return draft && draft.staff_id === session.staff.id ? draft : null;
}
export async function dropDraft(key) {
  await db.deleteMeta(`form-draft:${key}`);
  await db.setMeta(INDEX, ((await db.getMeta(INDEX)) || []).filter((k) => k !== key));
}
export async function myDrafts() {
  const drafts = await Promise.all(((await db.getMeta(INDEX)) || []).map(loadDraft));
  return drafts.filter(Boolean);
}

// --- ids, and the definition the server checks ------------------------------------------------

function slug(text, sep, max) {
  return (text || '').toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, sep)
    .replace(new RegExp(`^\\${sep}+|\\${sep}+$`, 'g'), '').slice(0, max).replace(new RegExp(`\\${sep}+$`), '');
}
function unique(base, taken, sep = '_') {
  let id = base;
  for (let n = 2; taken.has(id); n += 1) id = `${base.slice(0, 56)}${sep}${n}`;
  taken.add(id);
  return id;
}
/** A template id from the title, never one already used by a built-in or the school. */
export const templateIdFor = (title, known) => unique(slug(title, '-', 56) || 'school-form', new Set(known), '-');

const shown = (s) => s.questions.length > 0;
const clean = (value) => Object.fromEntries(Object.entries(value).filter(([k, v]) => !k.startsWith('_')
  && v !== undefined && v !== null && v !== ''));

/** {body, places}: the definition to publish, and where each published question sits in the draft. */
export function toDefinition(draft) {
  const ids = new Set(draft.sections.flatMap((s) => s.questions.map((q) => q.id).filter(Boolean)));
  const places = [];
  const sections = draft.sections.filter(shown).map((s, si) => ({ ...clean({ ...s, questions: undefined }),
    questions: s.questions.map((q, qi) => {
      places.push({ si, qi, key: q._key });
      const id = q.id || unique(/^[a-z]/.test(slug(q.prompt, '_', 40)) ? slug(q.prompt, '_', 40) : `q_${slug(q.prompt, '_', 38) || 'question'}`, ids);
      const out = clean({ ...q, id, help: (q.help || '').trim(), prompt: (q.prompt || '').trim() });
      out.required = Boolean(q.required);
      if (!['choice', 'multichoice'].includes(q.type)) delete out.options;
      else {
        const values = new Set(q.options.map((o) => o.value).filter(Boolean));
        out.options = q.options.map((o) => clean({ ...o, label: (o.label || '').trim(),
          value: o.value || unique(slug(o.label, '_', 40) || 'option', values) }));
      }
      if (!['number', 'scale'].includes(q.type)) { delete out.min; delete out.max; }
      return out;
    }) }));
  const body = { title: draft.title.trim(), ...draft.header, sections };
  if (draft.description.trim()) body.description = draft.description.trim();
  return { body, places };
}

// --- checks, in the builder's words --------------------------------------------------------------

const quote = (text) => `“${(text || '').trim().slice(0, 60)}${(text || '').trim().length > 60 ? '…' : ''}”`;

/** Problems: [{key (question _key) or field name, message}], the server's rules first. */
export function checkDraft(draft) {
  const found = [];
  const add = (key, message) => message && found.push({ key, message });
  add('title', textProblem('Form title', draft.title.trim(), RULES.title));
  const all = draft.sections.flatMap((s) => s.questions.map((q) => ({ q, s })));
  if (!all.length) add('questions', 'Add at least one question.');
  const seen = new Map();
  all.forEach(({ q, s }, n) => {
    const name = `Question ${n + 1}`;
    if (isLocked(q, s)) { seen.set(q.id, q); return; }
    add(q._key, textProblem(name, (q.prompt || '').trim(), QUESTION.prompt));
    add(q._key, textProblem(`${name}, help`, (q.help || '').trim(), { maxLength: QUESTION.help.maxLength }));
    if (q.type === 'choice' || q.type === 'multichoice') {
      const labels = q.options.map((o) => (o.label || '').trim());
      if (q.options.length < 2) add(q._key, `${name} ${quote(q.prompt)}: give at least two answers to choose from.`);
      if (q.options.length > QUESTION.options.maxLength) add(q._key, `${name}: at most ${QUESTION.options.maxLength} answers.`);
      labels.forEach((label, i) => add(q._key, textProblem(`${name}, answer ${i + 1}`, label, OPTION.label)));
      if (new Set(labels.filter(Boolean).map((l) => l.toLowerCase())).size < labels.filter(Boolean).length) {
        add(q._key, `${name} ${quote(q.prompt)}: two answers have the same words.`);
      }
    }
    if (q.type === 'number' && q.min !== undefined && q.max !== undefined && q.min !== null && q.max !== null && q.min >= q.max) {
      add(q._key, `${name}: the largest number must be more than the smallest.`);
    }
    const cond = q.show_if;
    if (cond) {
      const earlier = seen.get(cond.question);
      const values = earlier && earlier.options ? earlier.options.map((o) => o.value) : null;
      if (!earlier || !CONDITION_TYPES.includes(earlier.type)) {
        add(q._key, `${name} ${quote(q.prompt)} is asked only after another question, which is no longer before it. Move it back below that question, or remove this one too.`);
      } else if (values && cond.in.some((v) => !values.includes(v))) {
        add(q._key, `${name} ${quote(q.prompt)} is asked after an answer to ${quote(earlier.prompt)} that has been removed. Put that answer back, or remove this question.`);
      }
    }
    if (q.id) seen.set(q.id, q);
  });
  draft.sections.forEach((s) => {
    if (s.questions.length > SECTION.questions.maxLength) add('questions', `${s.title}: at most ${SECTION.questions.maxLength} questions.`);
  });
  return found;
}
