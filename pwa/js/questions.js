// Render a template question as a control that writes its answer into an answers object.
// Types follow schemas/template_answers.py; the server checks the same rules again.
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

const RENDER = {
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

export { nextId };
