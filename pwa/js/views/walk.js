// Learning walk (FORMS.md §1): a focus template, walkers with roles, stops with a RAG judgement
// (word + shape + colour) and a note per look-for, photos per stop, then the triangulation.
import * as db from '../db.js';
import * as outbox from '../outbox.js';
import { entryOp, templatesOf } from '../entries.js';
import { cleanRows, listEditor } from '../lists.js';
import { photoPicker } from '../photos.js';
import { session } from '../state.js';
import { announce, choices, errorList, field, h, input, londonToday, ragChoices, select, text,
  textarea } from '../ui.js';

export async function render(main, ctx) {
  const templates = await templatesOf('learning_walk');
  const classes = await db.getRecords('class');
  main.append(h('h1', {}, 'Learning walk'));
  if (!templates.length) {
    main.append(h('p', {}, 'No learning-walk forms yet. Sync when online to fetch them.'));
    return;
  }
  const data = { template: templates[0], stops: [], actions: [], purposes: new Set(),
    walkers: [{ name: session.staff.name, role: 'learning_teaching' }] };
  const stopsArea = h('div', { id: 'stops' });
  const drawStops = () => stopsArea.replaceChildren(...data.stops.map((s, i) =>
    stopCard(s, i, data, classes, drawStops)));
  const focus = select({ name: 'focus' }, templates.map((t) => [t.template_id, t.title]), data.template.template_id);
  focus.addEventListener('change', () => {
    data.template = templates.find((t) => t.template_id === focus.value);
    drawStops();
  });
  const def = data.template.definition;
  const errors = h('div', { class: 'error-slot' });
  const form = h('form', { novalidate: true, onsubmit: (event) => {
    event.preventDefault();
    save(form, data, errors, ctx);
  } },
  h('div', { class: 'grid' }, field('Focus', focus),
    field('Date', input({ type: 'date', name: 'date', value: londonToday() }))),
  purposesField(def, data),
  listEditor('Walkers', 'walker', [{ key: 'name', label: 'Name' }, { key: 'role', label: 'Role',
    type: 'select', options: (def.walker_roles || []).map((r) => [r.value, r.label]) }],
  data.walkers, () => ({ name: '', role: 'environment' })),
  h('h2', {}, 'Stops'), stopsArea,
  h('button', { type: 'button', class: 'button secondary', onclick: () => {
    data.stops.push({ class_id: '', area: '', time: '', context: 'whole_class', judgements: {}, photos: [] });
    drawStops();
    stopsArea.lastChild?.querySelector('select,input')?.focus();
  } }, 'Add a stop'),
  h('h2', {}, 'Summary'),
  field('Strengths', textarea({ name: 'strengths' })),
  field('Areas for development', textarea({ name: 'areas' })),
  listEditor('Actions', 'action', [{ key: 'action', label: 'Action' }, { key: 'owner', label: 'Who' },
    { key: 'due_date', label: 'By when', type: 'date' }], data.actions,
  () => ({ action: '', owner: '', due_date: '' })),
  errors,
  h('button', { type: 'submit', class: 'button big' }, 'Save learning walk'));
  main.append(form);
}

function purposesField(def, data) {
  return h('fieldset', { class: 'choices' }, h('legend', {}, 'Purpose'),
    h('div', { class: 'choice-row' }, (def.purposes || []).map((p) => h('label', { class: 'choice' },
      h('input', { type: 'checkbox', name: 'purpose', value: p.value, onchange: (e) => {
        if (e.target.checked) data.purposes.add(p.value); else data.purposes.delete(p.value);
      } }), h('span', { class: 'choice-face' }, p.label)))));
}

/** Look-fors judged at each stop: the RAG questions of the template's per-stop sections. */
function lookFors(template) {
  return (template.definition.sections || []).filter((s) => s.repeat === 'per_stop')
    .flatMap((s) => s.questions.filter((q) => q.type === 'rag'));
}

function stopCard(stop, i, data, classes, redraw) {
  const def = data.template.definition;
  const n = i + 1;
  const classSelect = select({ name: `class-${n}` }, [['', 'No class (an area)'],
    ...classes.map((c) => [c.id, `${c.name} (Year ${c.year_group})`])], stop.class_id);
  classSelect.addEventListener('change', () => { stop.class_id = classSelect.value; });
  return h('section', { class: 'card stop', 'aria-labelledby': `stop-${n}`, dataset: { stop: n } },
    h('h3', { id: `stop-${n}` }, `Stop ${n}`),
    h('div', { class: 'grid' }, field('Class', classSelect),
      field('Area', input({ name: `area-${n}`, value: stop.area, oninput: (e) => { stop.area = e.target.value; } })),
      field('Time', input({ type: 'time', name: `time-${n}`, value: stop.time,
        oninput: (e) => { stop.time = e.target.value; } }))),
    choices('Context', `context-${n}`, (def.stop_contexts || []).map((c) => ({ value: c.value, label: c.label })),
      stop.context, (v) => { stop.context = v; }),
    lookFors(data.template).map((q) => judgement(q, stop, n, def)),
    photoPicker(`Add a photo at stop ${n}`, stop.photos),
    h('button', { type: 'button', class: 'button secondary',
      onclick: () => { data.stops.splice(i, 1); redraw(); } }, `Remove stop ${n}`));
}

function judgement(q, stop, n, def) {
  const j = stop.judgements[q.id] || (stop.judgements[q.id] = { rag: null, note: '', evidence_type: '' });
  const evidence = def.evidence_types ? field('Evidence', select({ name: `ev-${n}-${q.id}`,
    onchange: (e) => { j.evidence_type = e.target.value; } },
  [['', 'Not said'], ...def.evidence_types.map((t) => [t.value, t.label])], j.evidence_type)) : null;
  return h('div', { class: 'panel compact', dataset: { lookFor: q.id } },
    ragChoices(q.prompt, `rag-${n}-${q.id}`, j.rag, (v) => { j.rag = v; }),
    field('Note', input({ name: `note-${n}-${q.id}`, value: j.note, oninput: (e) => { j.note = e.target.value; } })),
    evidence);
}

function readCore(form, data) {
  const ids = new Set(lookFors(data.template).map((q) => q.id));
  const stops = data.stops.map((s) => ({
    class_id: s.class_id ? Number(s.class_id) : null, area: text(s.area), time: s.time || null,
    context: s.context,
    judgements: Object.entries(s.judgements).filter(([id, j]) => ids.has(id) && j.rag)
      .map(([id, j]) => ({ look_for: id, rag: j.rag, note: text(j.note), evidence_type: j.evidence_type || null,
        attachments: [] })),
  }));
  return {
    date: form.elements.date.value,
    purposes: [...data.purposes],
    walkers: cleanRows(data.walkers, ['name']).map((w) => ({ name: w.name, role: w.role })),
    stops,
    strengths: text(form.elements.strengths.value),
    areas_for_development: text(form.elements.areas.value),
    actions: cleanRows(data.actions, ['action']),
    attachments: data.stops.flatMap((s) => s.photos.map((p) => p.sha256)),
  };
}

async function save(form, data, errors, ctx) {
  const core = readCore(form, data);
  const found = [];
  if (!core.date) found.push('Date: choose the day of the walk.');
  if (!core.walkers.length) found.push('Walkers: add at least one.');
  for (const a of core.actions) if (!a.owner) found.push(`Action "${a.action}": say who.`);
  if (core.attachments.length > 20) found.push('Photos: at most 20 per walk.');
  errors.replaceChildren(errorList(found));
  if (found.length) return;
  const photos = data.stops.flatMap((s) => s.photos);
  await outbox.save(entryOp('learning_walk', data.template, core, {}),
    { kind: 'learning_walk', summary: `Learning walk: ${data.template.title}, ${core.date}`, blobs: photos });
  announce(`Saved the learning walk with ${core.stops.length} stop(s).`);
  ctx.go('home');
}
