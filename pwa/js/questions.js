// Render a template question as a control that writes its answer into an answers object.
// Types follow schemas/template_answers.py; the server checks the same rules again.
import { photoPicker } from './photos.js';
import { choices, faceChoices, field, h, input, nextId, ragChoices, textarea } from './ui.js';

const setter = (answers, id) => (value) => { answers[id] = value; };

function textControl(q, answers) {
  const make = q.type === 'longtext' ? textarea : input;
  const control = make({ name: q.id, value: answers[q.id] || '',
    maxlength: q.type === 'longtext' ? 5000 : 500,
    oninput: (e) => { answers[q.id] = e.target.value.trim(); } });
  return field(q.prompt, control, q.help);
}

function numberControl(q, answers) {
  return field(q.prompt, input({ type: 'number', name: q.id, min: q.min, max: q.max, step: 'any',
    value: answers[q.id] ?? '', oninput: (e) => {
      answers[q.id] = e.target.value === '' ? null : Number(e.target.value);
    } }), q.help);
}

function inputControl(type) {
  return (q, answers) => field(q.prompt, input({ type, name: q.id, value: answers[q.id] || '',
    oninput: (e) => { answers[q.id] = e.target.value || null; } }), q.help);
}

function multiControl(q, answers) {
  const chosen = new Set(answers[q.id] || []);
  return h('fieldset', { class: 'choices' }, h('legend', {}, q.prompt),
    h('div', { class: 'choice-row' }, q.options.map((o) => h('label', { class: 'choice' },
      h('input', { type: 'checkbox', name: q.id, value: o.value, checked: chosen.has(o.value),
        onchange: (e) => {
          if (e.target.checked) chosen.add(o.value); else chosen.delete(o.value);
          answers[q.id] = [...chosen];
        } }),
      h('span', { class: 'choice-face' }, h('span', { class: 'word' }, o.label))))));
}

/** datetime-local has no zone: send it as an ISO instant so the server can compare it. */
function datetimeControl(q, answers) {
  return field(q.prompt, input({ type: 'datetime-local', name: q.id, oninput: (e) => {
    answers[q.id] = e.target.value ? new Date(e.target.value).toISOString() : null;
  } }), q.help);
}

// Photos picked for photo questions, per answers object and question, until the form saves:
// the same array survives a redraw (one question at a time), so no picked photo is lost.
const picked = new WeakMap();

function photoControl(q, answers) {
  const byQuestion = picked.get(answers) || {};
  picked.set(answers, byQuestion);
  const photos = byQuestion[q.id] || (byQuestion[q.id] = []);
  const kept = Array.isArray(answers[q.id]) ? answers[q.id].length : 0;
  const ready = kept + photos.length;
  return h('fieldset', { class: 'photo-question' }, h('legend', {}, q.prompt),
    q.help ? h('p', { class: 'hint' }, q.help) : null,
    ready ? h('p', { class: 'hint' }, `${ready} photo${ready === 1 ? '' : 's'} with this answer so far.`) : null,
    photoPicker('Take or choose a photo', photos));
}

/** The answers with each photo question's picked photos (by hash), and those photos to queue. */
export function withPhotos(answers) {
  const out = { ...answers };
  const blobs = [];
  for (const [id, photos] of Object.entries(picked.get(answers) || {})) {
    if (!photos.length) continue;
    const kept = Array.isArray(answers[id]) ? answers[id] : [];
    out[id] = [...new Set([...kept, ...photos.map((p) => p.sha256)])];
    blobs.push(...photos);
  }
  return { answers: out, blobs };
}

const RENDER = {
  photo: photoControl,
  datetime: datetimeControl,
  text: textControl,
  longtext: textControl,
  number: numberControl,
  date: inputControl('date'),
  time: inputControl('time'),
  faces3: (q, a) => faceChoices(q.prompt, q.id, 3, a[q.id], setter(a, q.id)),
  faces5: (q, a) => faceChoices(q.prompt, q.id, 5, a[q.id], setter(a, q.id)),
  rag: (q, a) => ragChoices(q.prompt, q.id, a[q.id], setter(a, q.id)),
  choice: (q, a) => choices(q.prompt, q.id, q.options, a[q.id], setter(a, q.id)),
  multichoice: multiControl,
  boolean: (q, a) => choices(q.prompt, q.id, [{ value: 'true', label: 'Yes' }, { value: 'false', label: 'No' }],
    a[q.id] === undefined ? null : String(a[q.id]), (v) => { a[q.id] = v === 'true'; }),
  scale: (q, a) => choices(q.prompt, q.id, Array.from({ length: q.max - q.min + 1 },
    (_, i) => ({ value: q.min + i, label: String(q.min + i) })), a[q.id], (v) => { a[q.id] = Number(v); }),
};

/** The control for one question, or null for types this screen does not capture. */
export function questionControl(q, answers) {
  const render = RENDER[q.type];
  if (!render) return null;
  const el = render(q, answers);
  el.dataset.question = q.id;
  if (q.required) el.dataset.required = 'true';
  return el;
}

// --- conditions (show_if) -------------------------------------------------------------------
// The same rules as schemas/template_answers.py `asked`: a question with
// show_if {question, in} is asked when the question it names was asked and its answer is one of
// the listed values (for a multichoice, any chosen value); conditions only name earlier
// questions, so one pass in template order settles every question.

// Strict equality, so a yes/no answer of true never meets a face of 1.
const meets = (value, wanted) => (Array.isArray(value)
  ? value.some((v) => wanted.includes(v)) : wanted.includes(value));

/** The questions these answers lead to, in order: the ones to show, ask and save. */
export function visibleQuestions(questions, answers) {
  const asked = new Set();
  return questions.filter((q) => {
    const c = q.show_if;
    const shown = !c || (asked.has(c.question) && meets(answers[c.question], c.in));
    if (shown) asked.add(q.id);
    return shown;
  });
}

/** Answers to the questions still asked: a follow-up's answer goes when its question does
 * (the server refuses an answer to a question that was not asked). */
export function visibleAnswers(questions, answers) {
  const keep = new Set(visibleQuestions(questions, answers).map((q) => q.id));
  return Object.fromEntries(Object.entries(answers).filter(([id]) => keep.has(id)));
}

export { nextId };

/** The questions a form adds to a screen's own fields, follow-ups appearing after the answers
 * that lead to them (as in views/voice.js). answers is the live object read at save time. */
export function questionsBlock(questions, answers) {
  const box = h('div', { class: 'questions-block' });
  let shown = '';
  const draw = () => {
    const asked = visibleQuestions(questions, answers);
    shown = asked.map((q) => q.id).join();
    box.replaceChildren(...asked.map((q) => questionControl(q, answers)).filter(Boolean));
  };
  box.addEventListener('change', (event) => {
    if (visibleQuestions(questions, answers).map((q) => q.id).join() === shown) return;
    const { name, value } = event.target;
    draw();
    box.querySelector(`[name="${CSS.escape(name)}"][value="${CSS.escape(value)}"]`)?.focus();
  });
  draw();
  return box;
}
