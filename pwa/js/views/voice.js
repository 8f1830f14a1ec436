// Pupil voice entered by staff on a pupil's behalf (FORMS.md §3): the prompt set follows the
// pupil's age band, the mode says who supported, and questions come one at a time or as a list.
// A drawing (FORMS.md §3 extras) goes as a PNG attachment, exactly like a photo.
import * as db from '../db.js';
import * as outbox from '../outbox.js';
import { ageBandFor, compact, entryOp, questionsOf, templatesOf } from '../entries.js';
import { questionControl } from '../questions.js';
import { drawingPad, isEmpty, toPng } from '../drawing.js';
import { sha256Hex } from '../photos.js';
import { enable as enableSymbols, fetchIndex, load as loadSymbols } from '../symbols.js';
import { handOver } from './pupil.js';
import { hasPin, setPin, validPin } from './pupil-pin.js';
import { announce, choices, errorList, field, h, input, londonToday, personName, select,
  text } from '../ui.js';

const CONCERNS = new Set(['worried', 'not_safe']);

export async function render(main, ctx) {
  const pupils = (await db.getRecords('pupil')).sort((a, b) => a.surname.localeCompare(b.surname));
  const templates = await templatesOf('pupil_voice');
  main.append(h('h1', {}, 'Pupil voice'));
  if (!pupils.length || !templates.length) {
    main.append(h('p', {}, 'Nothing to record yet. Sync when online to fetch your pupils and forms.'));
    return;
  }
  const area = h('div', { id: 'voice-form' });
  const pupilSelect = select({ name: 'pupil', id: 'voice-pupil' },
    [['', 'Choose a pupil'], ...pupils.map((p) => [p.id, `${personName(p)} (Year ${p.year_group})`])], '');
  pupilSelect.addEventListener('change', () => {
    const pupil = pupils.find((p) => String(p.id) === pupilSelect.value);
    if (pupil) showForm(area, pupil, templates, ctx); else area.replaceChildren();
  });
  main.append(field('Pupil', pupilSelect), area);
}

function showForm(area, pupil, templates, ctx) {
  const band = ageBandFor(pupil.year_group);
  let template = templates.find((t) => t.template_id === band) || templates[0];
  const state = { answers: {}, oneAtATime: true, index: 0, drawing: [] };
  const questionsArea = h('div', { id: 'questions' });
  const supported = field('Who supported or spoke for the pupil', input({ name: 'supported_by' }));
  supported.hidden = true;
  const errors = h('div', { class: 'error-slot' });
  const redraw = () => drawQuestions(questionsArea, template, state);
  const templateSelect = select({ name: 'template' }, templates.map((t) => [t.template_id, t.title]),
    template.template_id);
  templateSelect.addEventListener('change', () => {
    template = templates.find((t) => t.template_id === templateSelect.value);
    state.answers = {};
    state.index = 0;
    redraw();
  });
  const def = template.definition;
  const form = h('form', { novalidate: true, onsubmit: (event) => {
    event.preventDefault();
    save(form, { pupil, template, state, errors, ctx });
  } },
  field('Prompt set', templateSelect, `Suggested for Year ${pupil.year_group}.`),
  h('div', { class: 'grid' },
    field('Date', input({ type: 'date', name: 'date', value: londonToday() })),
    field('Context', select({ name: 'context' }, (def.contexts || []).map((c) => [c.value, c.label]),
      'termly_review'))),
  choices('How were the views given?', 'mode', (def.modes || []).map((m) => ({ value: m.value, label: m.label })),
    'independent', (v) => { supported.hidden = v === 'independent'; }),
  supported,
  choices('Show questions', 'layout', [{ value: 'one', label: 'One at a time' }, { value: 'list', label: 'All as a list' }],
    'one', (v) => { state.oneAtATime = v === 'one'; redraw(); }),
  questionsArea, (def.extras || []).includes('drawing') ? drawingSection(state) : null, errors,
  h('button', { type: 'submit', class: 'button big' }, 'Save pupil voice'));
  area.replaceChildren(form, handOverPanel(form, pupil, () => template, ctx));
  redraw();
}

/** The pupil's drawing, on the staff screen: closed until asked for, so it never gets in the way. */
function drawingSection(state) {
  const area = h('div', { class: 'drawing-area' });
  const open = h('button', { type: 'button', class: 'button secondary',
    onclick: () => {
      open.hidden = true;
      area.replaceChildren(drawingPad({ items: state.drawing, label: "The pupil's drawing", onchange: () => {} }));
    } }, 'Add a drawing by the pupil');
  return h('section', { class: 'drawing-section', 'aria-labelledby': 'drawing-heading' },
    h('h2', { id: 'drawing-heading' }, 'Drawing (optional)'), open, area);
}

/** Per device: the app's own faces by default, OpenMoji only if staff switch it on here. */
function symbolsChoice() {
  const hint = h('span', { class: 'hint', id: 'symbols-hint' },
    'Keep to the pictures the pupil knows: switching symbol sets can confuse.');
  const status = h('span', { class: 'hint', id: 'symbols-status', 'aria-live': 'polite' });
  const box = h('input', { type: 'checkbox', id: 'use-openmoji', 'aria-describedby': hint.id,
    onchange: async () => {
      status.textContent = box.checked ? 'Fetching the pictures…' : '';
      const ok = await enableSymbols(box.checked);
      if (!ok) box.checked = false;
      status.textContent = !ok ? 'The OpenMoji pictures are not installed on this server.'
        : box.checked ? 'On: pupil mode shows OpenMoji pictures beside the words on this device.'
          : "Off: pupil mode shows the app's own faces.";
    } });
  const wrapper = h('div', { class: 'field check', hidden: true },
    h('label', { for: box.id }, box, 'Use OpenMoji pictures in pupil mode on this device'), hint, status);
  Promise.all([loadSymbols(), fetchIndex()]).then(([setting, index]) => {
    box.checked = setting.enabled;
    wrapper.hidden = !index && !setting.enabled;
  });
  return wrapper;
}

/** Pupil mode: the pupil answers alone on a locked screen; leaving it needs the staff PIN. */
function handOverPanel(form, pupil, currentTemplate, ctx) {
  const pinInput = input({ type: 'password', name: 'staff_pin', id: 'handover-pin', inputmode: 'numeric',
    autocomplete: 'new-password', maxlength: 8 });
  const pinField = field('Staff PIN for this device (4 to 8 digits)', pinInput,
    'Needed to leave pupil mode. Only a scrambled copy (hash) is kept on this device.');
  const errors = h('div', { class: 'error-slot' });
  const panel = h('section', { class: 'panel', 'aria-labelledby': 'handover-heading' },
    h('h2', { id: 'handover-heading' }, 'Hand to pupil'),
    h('p', {}, 'The pupil answers the chosen prompt set on their own, one question at a time, '
      + 'using the context chosen above. The screen stays locked until a member of staff enters the PIN.'),
    pinField, symbolsChoice(),
    h('p', {}, h('a', { href: '#/credits' }, 'Picture credits and licences')), errors,
    h('button', { type: 'button', class: 'button big', id: 'hand-to-pupil', onclick: async () => {
      const pin = pinInput.value.trim();
      const existing = await hasPin();
      if (pin && !validPin(pin)) { errors.replaceChildren(errorList(['The PIN must be 4 to 8 digits.'])); return; }
      if (!pin && !existing) { errors.replaceChildren(errorList(['Set a staff PIN before handing over.'])); return; }
      if (pin) await setPin(pin);
      pinInput.value = '';
      await handOver({ pupil, template: currentTemplate(), context: form.elements.context.value }, ctx.go);
    } }, 'Hand to pupil'));
  hasPin().then((existing) => {
    if (existing) pinField.querySelector('.hint').textContent = 'A PIN is already set on this device: '
      + 'leave this blank to keep it, or type a new one. Needed to leave pupil mode.';
  });
  return panel;
}

/** One question per screen by default (FORMS.md §3: calm, no overburdening), or the whole list. */
function drawQuestions(container, template, state) {
  const questions = questionsOf(template.definition);
  const controls = questions.map((q) => questionControl(q, state.answers)).filter(Boolean);
  if (!state.oneAtATime) {
    container.replaceChildren(h('h2', {}, template.title), ...controls);
    return;
  }
  state.index = Math.min(state.index, controls.length - 1);
  const step = (delta) => { state.index += delta; drawQuestions(container, template, state); };
  container.replaceChildren(h('h2', {}, `Question ${state.index + 1} of ${controls.length}`),
    controls[state.index],
    h('div', { class: 'question-nav' },
      h('button', { type: 'button', class: 'button secondary', disabled: state.index === 0,
        onclick: () => step(-1) }, 'Previous'),
      h('button', { type: 'button', class: 'button secondary', disabled: state.index >= controls.length - 1,
        onclick: () => step(1) }, 'Next question')));
}

async function save(form, { pupil, template, state, errors, ctx }) {
  const value = (name) => form.elements[name].value;
  const mode = form.querySelector('input[name="mode"]:checked')?.value || 'independent';
  const answers = compact(state.answers);
  const missing = questionsOf(template.definition).filter((q) => q.required && answers[q.id] === undefined);
  const found = missing.map((q) => `${q.prompt}: an answer is needed (ask it, or choose a face).`);
  if (mode !== 'independent' && !text(value('supported_by'))) found.push('Say who supported the pupil.');
  errors.replaceChildren(errorList(found));
  if (found.length) return;
  const blobs = [];
  if (!isEmpty(state.drawing)) {
    const blob = await toPng(state.drawing);
    blobs.push({ sha256: await sha256Hex(blob), blob, type: 'image/png', size: blob.size });
  }
  const core = { pupil_id: pupil.id, date: value('date'), mode, context: value('context'),
    supported_by: mode === 'independent' ? null : text(value('supported_by')),
    attachments: blobs.map((b) => b.sha256) };
  await outbox.save(entryOp('pupil_voice', template, core, answers),
    { kind: 'pupil_voice', blobs, summary: `Pupil voice: ${personName(pupil)}, ${core.date}` });
  const worried = Object.values(answers).some((v) => CONCERNS.has(v));
  announce(worried
    ? 'Saved. The pupil said they are worried or not safe: the safeguarding lead will be told when this syncs. Tell them now too if needed.'
    : `Saved ${personName(pupil)}'s views.`, worried ? 'warn' : 'info');
  ctx.go('home');
}
