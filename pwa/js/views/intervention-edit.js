// Add or edit an intervention, "#/intervention-edit/<id>" or "#/intervention-edit/new": its
// name, area of need, the measure its entry and exit data use, who it is for and when a pupil
// is done, the evidence behind it, and the cost basis a new group of it starts from.
import { cachedGet } from '../cache.js';
import { appendAll, formField, moneyProblem, onlineNote, pence, pounds, send, serverFormProblems,
  showFormProblems, textProblem } from '../forms.js';
import { RULES, WORDS } from '../provision-words.js';
import { session } from '../state.js';
import { announce, h, input, saveOnce, select, text, textarea } from '../ui.js';
import { MANAGERS } from './interventions.js';

const FIELDS = RULES.intervention.fields;
const LABELS = {
  name: 'Name', area_of_need: 'Area of need', measure_type: 'Entry and exit measured by',
  description: 'What it is', evidence_note: 'Evidence it works, and how we check impact',
  entry_criteria: 'Who it is for (entry criteria)', exit_criteria: 'When a pupil is done (exit criteria)',
  default_hourly_staff_cost_pence: 'Staff cost an hour', default_resource_cost_pence: 'Resources for a group',
};
const TEXTS = ['description', 'evidence_note', 'entry_criteria', 'exit_criteria'];

export async function render(main, ctx) {
  const isNew = !ctx.arg || ctx.arg === 'new';
  appendAll(main, h('h1', {}, isNew ? 'Add an intervention' : 'Edit an intervention'));
  if (!MANAGERS.includes(session.staff.role)) {
    appendAll(main, h('p', { class: 'panel' }, 'Only the SENCO or an admin changes the intervention catalogue.'),
      h('a', { class: 'button secondary', href: '#/groups' }, 'Interventions and groups'));
    return;
  }
  const saved = isNew ? null : await cachedGet(`intervention:${ctx.arg}`, `/api/v1/interventions/${encodeURIComponent(ctx.arg)}`);
  if (!isNew && !saved) {
    appendAll(main, h('p', { class: 'panel' }, 'This intervention is not in the catalogue, or there is no connection.'),
      h('a', { class: 'button secondary', href: '#/interventions' }, 'Intervention catalogue'));
    return;
  }
  appendAll(main, onlineNote() || '', form(saved ? saved.data : {}, ctx));
}

function form(current, ctx) {
  const controls = {
    name: input({ name: 'name', value: current.name || '', autocomplete: 'off' }),
    area_of_need: select({ name: 'area_of_need' }, [['', 'Choose an area'], ...Object.entries(WORDS.areas)], current.area_of_need || ''),
    measure_type: select({ name: 'measure_type' }, [['', 'Choose a measure'], ...Object.entries(WORDS.measure_types)], current.measure_type || ''),
    ...Object.fromEntries(TEXTS.map((k) => [k, textarea({ name: k })])),
    default_hourly_staff_cost_pence: input({ name: 'default_hourly_staff_cost_pence', inputmode: 'decimal', value: pounds(current.default_hourly_staff_cost_pence) }),
    default_resource_cost_pence: input({ name: 'default_resource_cost_pence', inputmode: 'decimal', value: pounds(current.default_resource_cost_pence) }),
  };
  for (const k of TEXTS) controls[k].value = current[k] || '';
  const problems = h('div', { class: 'problems' });
  const el = h('form', { novalidate: true, id: 'intervention-form' },
    formField(LABELS.name, controls.name, { name: 'name' }),
    h('div', { class: 'grid' }, formField(LABELS.area_of_need, controls.area_of_need, { name: 'area_of_need' }),
      formField(LABELS.measure_type, controls.measure_type, { name: 'measure_type',
        hint: 'Every group of this intervention records entry and exit data on this measure.' })),
    formField(LABELS.entry_criteria, controls.entry_criteria, { name: 'entry_criteria', hint: 'For example: reading age 18 months or more below actual age.' }),
    formField(LABELS.exit_criteria, controls.exit_criteria, { name: 'exit_criteria' }),
    formField(LABELS.description, controls.description, { name: 'description' }),
    formField(LABELS.evidence_note, controls.evidence_note, { name: 'evidence_note' }),
    h('fieldset', { class: 'field-set' }, h('legend', {}, 'Cost basis for a new group'),
      h('p', { class: 'hint' }, 'A new group starts from these figures; each group can change them.'),
      h('div', { class: 'grid' },
        formField(`${LABELS.default_hourly_staff_cost_pence} (£)`, controls.default_hourly_staff_cost_pence, { name: 'default_hourly_staff_cost_pence', hint: 'For example 14.50' }),
        formField(`${LABELS.default_resource_cost_pence} (£)`, controls.default_resource_cost_pence, { name: 'default_resource_cost_pence', hint: 'Books, kits, licences' }))),
    problems,
    h('div', { class: 'button-row' }, h('button', { type: 'submit', class: 'button' }, 'Save intervention'),
      h('a', { class: 'button secondary', href: '#/interventions' }, 'Cancel')));
  el.addEventListener('submit', saveOnce(async () => {
    const body = {
      name: text(controls.name.value), area_of_need: controls.area_of_need.value || null,
      measure_type: controls.measure_type.value || null,
      ...Object.fromEntries(TEXTS.map((k) => [k, text(controls[k].value)])),
      default_hourly_staff_cost_pence: pence(controls.default_hourly_staff_cost_pence.value),
      default_resource_cost_pence: pence(controls.default_resource_cost_pence.value),
    };
    const found = [
      textProblem('name', LABELS.name, body.name, FIELDS.name),
      body.area_of_need ? null : ['area_of_need', 'Choose the area of need.'],
      body.measure_type ? null : ['measure_type', 'Choose how entry and exit are measured.'],
      ...TEXTS.map((k) => textProblem(k, LABELS[k], body[k], FIELDS[k])),
      moneyProblem('default_hourly_staff_cost_pence', LABELS.default_hourly_staff_cost_pence, body.default_hourly_staff_cost_pence, FIELDS.default_hourly_staff_cost_pence),
      moneyProblem('default_resource_cost_pence', LABELS.default_resource_cost_pence, body.default_resource_cost_pence, FIELDS.default_resource_cost_pence),
    ].filter(Boolean);
    if (!showFormProblems(el, problems, found)) return false;
    const { data, error } = current.id
      ? await send('PATCH', `/api/v1/interventions/${current.id}`, body)
      : await send('POST', '/api/v1/interventions/', body);
    if (error) { showFormProblems(el, problems, serverFormProblems(error, LABELS)); return false; }
    announce(`Saved ${data.name}.`);
    ctx.go('interventions');
    return true;
  }));
  return el;
}
