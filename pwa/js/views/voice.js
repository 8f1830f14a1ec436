// Pupil voice entered by staff on a pupil's behalf (FORMS.md §3): the prompt set follows the
// pupil's age band, the mode says who supported, and questions come one at a time or as a list.
// A drawing (FORMS.md §3 extras) goes as a PNG attachment, exactly like a photo.
import * as db from '../db.js';
import { checkAnswers } from '../check.js';
import { ageBandFor, compact, questionsOf, templatesOf } from '../entries.js';
import { current, saveEntry } from '../records.js';
import { questionControl, visibleQuestions, withPhotos } from '../questions.js';
import { drawingPad, isEmpty, toPng } from '../drawing.js';
import { sha256Hex } from '../photos.js';
import { enable as enableSymbols, fetchIndex, load as loadSymbols } from '../symbols.js';
import { handOver } from './pupil.js';
import { hasPin, setPin, validPin } from './pupil-pin.js';
import { announce, choices, errorList, field, h, input, londonToday, personName, saveOnce, select,
  showProblems, text } from '../ui.js';
import { friendlyDate } from '../words.js';

const CONCERNS = new Set(['worried', 'not_safe']);

export async function render(main, ctx) {
  const pupils = (await db.getRecords('pupil')).sort((a, b) => a.surname.localeCompare(b.surname));
  const templates = await templatesOf('pupil_voice');
  const editing = ctx.arg ? await current(ctx.arg) : null;
  main.append(h('h1', {}, editing ? 'Correct a pupil voice record' : 'Pupil voice'));
  if (!pupils.length || !templates.length) {
    main.append(h('p', {}, 'Nothing to record yet. Sync when online to fetch your pupils and forms.'));
    return;
  }
  if (ctx.arg) {
    const pupil = editing && pupils.find((p) => p.id === editing.entry.core.pupil_id);
    if (!pupil) {
      main.append(h('p', { class: 'panel' }, 'This record is not on this device. Sync when online, then try again.'));
      return;
    }
    const area = h('div', { id: 'voice-form' });
    main.append(h('p', { class: 'lead' }, `About ${personName(pupil)} (Year ${pupil.year_group}).`), area);
    showForm(area, pupil, templates, ctx, editing);
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

/** The pupil's current groups: what an intervention review can be about. */
async function groupsOf(pupil) {
  const ids = new Set((await db.getRecords('enrolment'))
    .filter((e) => e.pupil_id === pupil.id && !e.left_on).map((e) => e.group_id));
  return (await db.getRecords('group')).filter((g) => ids.has(g.id));
}

async function showForm(area, pupil, templates, ctx, editing = null) {
  const band = ageBandFor(pupil.year_group);
  const prior = editing ? editing.entry : null;
  let template = templates.find((t) => t.template_id === (prior ? prior.template_id : band)) || templates[0];
  const groups = await groupsOf(pupil);
  const state = { answers: { ...(prior ? prior.answers : {}) }, oneAtATime: true, index: 0, drawing: [],
    context: prior ? prior.core.context : 'termly_review', group: null };
  state.group = groups.find((g) => g.id === (prior ? prior.core.group_id : null)) || groups[0] || null;
  const questionsArea = h('div', { id: 'questions' });
  const priorMode = prior ? prior.core.mode : 'independent';
  const supported = field('Who supported or spoke for the pupil',
    input({ name: 'supported_by', value: prior?.core.supported_by || '' }));
  supported.hidden = priorMode === 'independent';
  const errors = h('div', { class: 'error-slot' });
  const redraw = () => drawQuestions(questionsArea, template, state);
  const groupField = interventionField(groups, state, redraw);
  const templateSelect = select({ name: 'template' }, templates.map((t) => [t.template_id, t.title]),
    template.template_id);
  templateSelect.addEventListener('change', () => {
    template = templates.find((t) => t.template_id === templateSelect.value);
    state.answers = {};
    state.index = 0;
    redraw();
  });
  const def = template.definition;
  const contextSelect = select({ name: 'context' }, (def.contexts || []).map((c) => [c.value, c.label]),
    state.context);
  contextSelect.addEventListener('change', () => {
    state.context = contextSelect.value;
    groupField.hidden = state.context !== 'intervention_review';
    redraw();
  });
  groupField.hidden = state.context !== 'intervention_review';
  const form = h('form', { novalidate: true, onsubmit: saveOnce(() =>
    save(form, { pupil, template, state, errors, ctx, editing })) },
  field('Prompt set', templateSelect, `Suggested for Year ${pupil.year_group}.`),
  h('div', { class: 'grid' },
    field('Date', input({ type: 'date', name: 'date', value: prior ? prior.core.date : londonToday(),
      max: londonToday() })),
    field('Context', contextSelect)),
  groupField,
  choices('How were the views given?', 'mode', (def.modes || []).map((m) => ({ value: m.value, label: m.label })),
    priorMode, (v) => { supported.hidden = v === 'independent'; }),
  supported,
  choices('Show questions', 'layout', [{ value: 'one', label: 'One at a time' }, { value: 'list', label: 'All as a list' }],
    'one', (v) => { state.oneAtATime = v === 'one'; redraw(); }),
  questionsArea, (def.extras || []).includes('drawing') ? drawingSection(state) : null, errors,
  h('button', { type: 'submit', class: 'button big' }, editing ? 'Save the correction' : 'Save pupil voice'));
  area.replaceChildren(form, editing ? '' : handOverPanel(form, pupil, () => template, state, ctx));
  redraw();
}

/** Which intervention an intervention review is about: it names the group in the prompts. */
function interventionField(groups, state, redraw) {
  if (!groups.length) {
    return h('p', { class: 'hint field' }, 'This pupil is not in an intervention group at the moment.');
  }
  const pick = select({ name: 'group', id: 'voice-group' }, groups.map((g) => [g.id, g.name]), state.group?.id);
  pick.addEventListener('change', () => {
    state.group = groups.find((g) => String(g.id) === pick.value) || null;
    redraw();
  });
  return field('Which intervention is this about?', pick);
}

/** The template's questions as this form asks them: the intervention question only in an
 * intervention review, with the group's name where the prompt says {intervention}. */
function askedQuestions(template, state) {
  const name = state.group ? state.group.name : 'the group sessions';
  const questions = questionsOf(template.definition)
    .filter((q) => q.id !== 'intervention' || state.context === 'intervention_review');
  // A follow-up ("what worries you?") only after the answer that leads to it (show_if).
  return visibleQuestions(questions, compact(state.answers))
    .map((q) => ({ ...q, prompt: q.prompt.replace('{intervention}', name) }));
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
function handOverPanel(form, pupil, currentTemplate, state, ctx) {
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
      await handOver({ pupil, template: currentTemplate(), context: form.elements.context.value,
        intervention: state.group ? { id: state.group.id, name: state.group.name } : null }, ctx.go);
    } }, 'Hand to pupil'));
  hasPin().then((existing) => {
    if (existing) pinField.querySelector('.hint').textContent = 'A PIN is already set on this device: '
      + 'leave this blank to keep it, or type a new one. Needed to leave pupil mode.';
  });
  return panel;
}

/** One question per screen by default (FORMS.md §3: calm, no overburdening), or the whole list. */
function drawQuestions(container, template, state) {
  const questions = askedQuestions(template, state);
  const shown = questions.map((q) => q.id).join();
  const controls = questions.map((q) => questionControl(q, state.answers)).filter(Boolean);
  // An answer can bring a follow-up in or take it out: redraw then, keeping the user's place.
  container.onchange = (event) => {
    if (askedQuestions(template, state).map((q) => q.id).join() === shown) return;
    const { name, value } = event.target;
    drawQuestions(container, template, state);
    container.querySelector(`[name="${CSS.escape(name)}"][value="${CSS.escape(value)}"]`)?.focus();
  };
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

async function save(form, { pupil, template, state, errors, ctx, editing }) {
  const value = (name) => form.elements[name].value;
  const mode = form.querySelector('input[name="mode"]:checked')?.value || 'independent';
  const asked = askedQuestions(template, state);
  const askedIds = new Set(asked.map((q) => q.id));
  // Photos picked for a school form's photo question go with its answer, as hashes.
  const { answers: given, blobs: photos } = withPhotos(state.answers);
  const answers = Object.fromEntries(Object.entries(compact(given)).filter(([id]) => askedIds.has(id)));
  const missing = asked.filter((q) => q.required && answers[q.id] === undefined);
  const found = missing.map((q) => `${q.prompt}: an answer is needed (ask it, or choose a face).`);
  if (!value('date')) found.push('Date: choose the day the views were given.');
  if (mode !== 'independent' && !text(value('supported_by'))) found.push('Say who supported the pupil.');
  found.push(...checkAnswers(asked, answers));
  if (!showProblems(errors, found)) return false;
  const blobs = photos.filter((photo) => Object.values(answers).flat().includes(photo.sha256));
  if (!isEmpty(state.drawing)) {
    const blob = await toPng(state.drawing);
    blobs.push({ sha256: await sha256Hex(blob), blob, type: 'image/png', size: blob.size });
  }
  const kept = editing ? editing.entry.core.attachments || [] : [];
  const core = { pupil_id: pupil.id, date: value('date'), mode, context: value('context'),
    supported_by: mode === 'independent' ? null : text(value('supported_by')),
    group_id: state.context === 'intervention_review' && state.group ? state.group.id : null,
    attachments: [...kept, ...blobs.map((b) => b.sha256)] };
  await saveEntry({ kind: 'pupil_voice', template, core, answers, blobs, editing,
    summary: `Pupil voice: ${personName(pupil)}, ${friendlyDate(core.date)}` });
  const worried = Object.values(answers).some((v) => CONCERNS.has(v));
  if (worried) {
    announce('Saved. The pupil said they are worried or not safe: the safeguarding lead will be told '
      + 'when this syncs. Tell them now too if needed.', 'warn');
  }
  ctx.go('home');
  return true;
}
