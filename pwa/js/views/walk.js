// Learning walk (FORMS.md §1): a focus template, walkers with roles, stops with a RAG judgement
// (word + shape + colour) and a note per look-for, photos per stop, then the triangulation.
import * as db from '../db.js';
import { checkCore } from '../check.js';
import { templatesOf } from '../entries.js';
import { current, saveEntry } from '../records.js';
import { cleanRows, listEditor } from '../lists.js';
import { photoPicker } from '../photos.js';
import { session } from '../state.js';
import { choices, field, h, input, londonToday, ragChoices, saveOnce, select, showProblems, text,
  textarea } from '../ui.js';
import { friendlyDate, plural } from '../words.js';

/** A saved walk's stops as the form edits them: judgements keyed by look-for, strings not nulls. */
function stopsFrom(core) {
  return (core.stops || []).map((s) => ({ class_id: s.class_id ? String(s.class_id) : '', area: s.area || '',
    time: s.time || '', context: s.context, photos: [],
    judgements: Object.fromEntries((s.judgements || []).map((j) => [j.look_for,
      { rag: j.rag, note: j.note || '', evidence_type: j.evidence_type || '' }])) }));
}

function dataFor(templates, prior) {
  if (!prior) {
    return { template: templates[0], stops: [], actions: [], purposes: new Set(),
      walkers: [{ name: session.staff.name, role: 'learning_teaching' }] };
  }
  const c = prior.core;
  return { template: templates.find((t) => t.template_id === prior.template_id) || templates[0],
    stops: stopsFrom(c), purposes: new Set(c.purposes || []),
    walkers: (c.walkers || []).map((w) => ({ name: w.name, role: w.role })),
    actions: (c.actions || []).map((a) => ({ action: a.action, owner: a.owner, due_date: a.due_date || '' })),
    kept: c.attachments || [] };
}

export async function render(main, ctx) {
  const templates = await templatesOf('learning_walk');
  const classes = await db.getRecords('class');
  const editing = ctx.arg ? await current(ctx.arg) : null;
  const prior = editing ? editing.entry : null;
  main.append(h('h1', {}, editing ? 'Correct a learning walk' : 'Learning walk'));
  if (ctx.arg && !editing) {
    main.append(h('p', { class: 'panel' }, 'This record is not on this device. Sync when online, then try again.'));
    return;
  }
  if (!templates.length) {
    main.append(h('p', {}, 'No learning-walk forms yet. Sync when online to fetch them.'));
    return;
  }
  const data = dataFor(templates, prior);
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
  const form = h('form', { novalidate: true, onsubmit: saveOnce(() => save(form, data, errors, ctx, editing)) },
  h('div', { class: 'grid' }, field('Focus', focus),
    field('Date', input({ type: 'date', name: 'date', value: prior ? prior.core.date : londonToday(),
      max: londonToday() }))),
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
  field('Strengths', textarea({ name: 'strengths', value: prior?.core.strengths || '' })),
  field('Areas for development', textarea({ name: 'areas', value: prior?.core.areas_for_development || '' })),
  listEditor('Actions', 'action', [{ key: 'action', label: 'Action' }, { key: 'owner', label: 'Who' },
    { key: 'due_date', label: 'By when', type: 'date' }], data.actions,
  () => ({ action: '', owner: '', due_date: '' })),
  errors,
  h('button', { type: 'submit', class: 'button big' }, editing ? 'Save the correction' : 'Save learning walk'));
  main.append(form);
  drawStops();
}

function purposesField(def, data) {
  return h('fieldset', { class: 'choices' }, h('legend', {}, 'Purpose'),
    h('div', { class: 'choice-row' }, (def.purposes || []).map((p) => h('label', { class: 'choice' },
      h('input', { type: 'checkbox', name: 'purpose', value: p.value, checked: data.purposes.has(p.value),
        onchange: (e) => {
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
    attachments: [...(data.kept || []), ...data.stops.flatMap((s) => s.photos.map((p) => p.sha256))],
  };
}

/** What a walk needs before it is worth saving: somewhere visited and something seen there. */
function problems(core, data) {
  const found = [];
  if (!core.date) found.push('Date: choose the day of the walk.');
  if (!core.walkers.length) found.push('Walkers: add at least one.');
  if (!core.stops.length) found.push('Stops: add at least one stop, with what you saw there.');
  core.stops.forEach((stop, i) => {
    if (!stop.class_id && !stop.area) found.push(`Stop ${i + 1}: choose a class or name the area.`);
  });
  const judged = core.stops.reduce((n, stop) => n + stop.judgements.length, 0);
  if (core.stops.length && !judged) found.push('Stops: give at least one judgement (Not yet, Getting there or Secure).');
  for (const a of core.actions) if (!a.owner) found.push(`Action "${a.action}": say who.`);
  const names = { question: (id) => (lookFors(data.template).find((q) => q.id === id) || {}).prompt || 'a look-for' };
  return [...found, ...checkCore('learning_walk', core, names)];
}

async function save(form, data, errors, ctx, editing) {
  const core = readCore(form, data);
  if (!showProblems(errors, [...new Set(problems(core, data))])) return false;
  const photos = data.stops.flatMap((s) => s.photos);
  await saveEntry({ kind: 'learning_walk', template: data.template, core, editing, blobs: photos,
    summary: `Learning walk: ${data.template.title}, ${friendlyDate(core.date)}, ${plural(core.stops.length, 'stop')}` });
  ctx.go('home');
  return true;
}
