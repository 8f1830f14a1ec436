// Pupil mode (DESIGN §3, FORMS.md §3): a locked, full-screen view on a staff device that can only
// add one pupil's voice entry. One question at a time, very large choices (>= 88 px), read-aloud,
// no timers, sounds or animation. The header is hidden, the browser back is swallowed, and
// leaving needs the staff PIN set on this device (views/pupil-pin.js). Pictures come from
// js/symbols.js (own faces, or OpenMoji if staff chose it); a drawing is offered last when the
// template lists it as an extra, and travels as a PNG attachment like a photo.
// A question with show_if is asked only after the answer it follows (js/questions.js). Staff
// who leave half-way are asked whether to keep the answers given so far as a partial entry.
import * as db from '../db.js';
import * as outbox from '../outbox.js';
import { entryOp, questionsOf } from '../entries.js';
import { sha256Hex } from '../photos.js';
import { drawingPad, isEmpty, toPng } from '../drawing.js';
import { FACE_KEYS, load as loadSymbols, picture } from '../symbols.js';
import { visibleAnswers, visibleQuestions } from '../questions.js';
import { pinCheck, staffExit } from './pupil-pin.js';
import * as grant from '../pupil-grant.js';
import { FACES3, FACES5, RAG, announce, h, londonToday, personName } from '../ui.js';
import { friendlyDate, plural } from '../words.js';

const LOCK_KEY = 'pupil_lock';
const DRAWING = { id: '_drawing', type: 'drawing', symbol: 'drawing',
  prompt: 'Would you like to draw a picture about school?' };

let lock = null;  // {pupil, template, context, intervention, index, answers, drawing, done}
let guardsOn = false;
let resumeKey = null;  // the PIN's key, from the right PIN until pupil mode is left

export const isLocked = () => lock !== null;

/** The questions a pupil may be asked: the intervention question only in an intervention review,
 * named after the intervention staff chose (or "your group sessions"). */
function templateQuestions({ template, context, intervention }) {
  const name = intervention && intervention.name ? intervention.name : 'your group sessions';
  return questionsOf(template.definition)
    .filter((q) => q.id !== 'intervention' || context === 'intervention_review')
    // Photos in a school's form are for staff to take, not for the pupil's locked screen.
    .filter((q) => q.type !== 'photo')
    .map((q) => ({ ...q, prompt: q.prompt.replaceAll('{intervention}', name) }));
}

/** The questions asked now: those the answers so far lead to, and a drawing last if the template
 * offers one (FORMS.md §3 extras). Conditions name earlier questions only, so answering never
 * moves the question on screen, only what comes after it. */
function pupilQuestions() {
  const asked = visibleQuestions(templateQuestions(lock), lock.answers);
  return (lock.template.definition.extras || []).includes('drawing') ? [...asked, DRAWING] : asked;
}

/** Answers given to the questions still asked, blanks left out. */
function givenAnswers() {
  return Object.fromEntries(Object.entries(visibleAnswers(templateQuestions(lock), lock.answers))
    .filter(([, v]) => v !== undefined && v !== null && v !== ''));
}

const hasAnswers = () => Object.keys(givenAnswers()).length > 0 || !isEmpty(lock.drawing);

const persist = () => db.setMeta(LOCK_KEY, lock);

/** Staff hand the device over: lock first (persisted, so a reload stays locked), then show.
 * intervention ({id, name}, optional): the group staff chose (views/voice.js), named in its question
 * and kept as core.group_id in an intervention review. */
export async function handOver({ pupil, template, context, intervention = null }, go) {
  lock = { pupil, template, context, intervention: intervention ? { id: intervention.id, name: intervention.name } : null,
    index: 0, answers: {}, drawing: [], done: false };
  await persist();
  // The server suspends this login from the next request on (js/pupil-grant.js).
  await grant.enter(pupil.id, await pinCheck());
  enterGuards();
  go('pupil');
}

/** At start-up: a device that was in pupil mode when closed opens in pupil mode again. */
export async function restore() {
  const saved = await db.getMeta(LOCK_KEY);
  if (!saved) return false;
  lock = { drawing: [], ...saved };
  grant.resume(lock.pupil.id);
  enterGuards();
  return true;
}

function onPopState() {
  if (lock) history.pushState({ pupilMode: true }, '', '#/pupil');
}

function enterGuards() {
  document.body.dataset.pupilMode = 'true';
  if (!guardsOn) {
    window.addEventListener('popstate', onPopState);
    guardsOn = true;
  }
  history.pushState({ pupilMode: true }, '', '#/pupil');
}

async function unlock(go) {
  lock = null;
  await db.deleteMeta(LOCK_KEY);
  await grant.leave(resumeKey);  // the PIN's key gives the login back, now or once online
  resumeKey = null;
  outbox.sync();
  window.removeEventListener('popstate', onPopState);
  guardsOn = false;
  delete document.body.dataset.pupilMode;
  go('voice');
}

function speak(words) {
  const synth = window.speechSynthesis;
  if (!synth || typeof window.SpeechSynthesisUtterance !== 'function') return;
  synth.cancel();
  synth.speak(new SpeechSynthesisUtterance(words));
}

const canSpeak = () => Boolean(window.speechSynthesis && window.SpeechSynthesisUtterance);

/** Big choice buttons: [{value, word, icon, class}]; aria-pressed marks the chosen one. */
function bigChoices(q, options, redraw) {
  return h('div', { class: 'pupil-choices', role: 'group', 'aria-labelledby': 'pupil-question' },
    options.map((o) => h('button', { type: 'button', class: `pupil-choice ${o.class || ''}`,
      'aria-pressed': String(lock.answers[q.id] === o.value), dataset: { value: String(o.value) },
      onclick: () => { lock.answers[q.id] = o.value; persist(); redraw(); } },
    o.icon || null, h('span', { class: 'word' }, o.word),
    h('span', { class: 'tick', 'aria-hidden': 'true' }, '✓'))));
}

function control(q, redraw, onText) {
  const faces = (words) => words.map((word, i) => ({ value: i + 1, word,
    icon: picture(FACE_KEYS[words.length][i]) }));
  switch (q.type) {
    case 'faces3': return bigChoices(q, faces(FACES3), redraw);
    case 'faces5': return bigChoices(q, faces(FACES5), redraw);
    case 'rag': return bigChoices(q, RAG.map((r) => ({ value: r.value, word: r.word, class: `rag rag-${r.value}`,
      icon: h('span', { class: 'glyph', 'aria-hidden': 'true' }, r.glyph) })), redraw);
    case 'choice': return bigChoices(q, q.options.map((o) => ({ value: o.value, word: o.label,
      icon: o.symbol ? picture(o.symbol) : null })), redraw);
    case 'boolean': return bigChoices(q, [{ value: true, word: 'Yes' }, { value: false, word: 'No' }], redraw);
    case 'number': {
      const box = h('input', { type: 'number', id: 'pupil-number', inputmode: 'decimal', step: 'any',
        min: q.min, max: q.max, 'aria-labelledby': 'pupil-question',
        oninput: (e) => { lock.answers[q.id] = e.target.value === '' ? undefined : Number(e.target.value); persist(); onText(); } });
      box.value = lock.answers[q.id] ?? '';
      return h('div', { class: 'pupil-text' }, box);
    }
    case 'scale': return bigChoices(q, Array.from({ length: q.max - q.min + 1 },
      (_, i) => ({ value: q.min + i, word: String(q.min + i) })), redraw);
    case 'text': case 'longtext': {
      const box = h('textarea', { id: 'pupil-text', rows: 4, maxlength: q.type === 'longtext' ? 5000 : 500,
        'aria-labelledby': 'pupil-question', 'aria-describedby': 'pupil-text-hint',
        oninput: (e) => { lock.answers[q.id] = e.target.value.trim() || undefined; persist(); onText(); } });
      box.value = lock.answers[q.id] || '';
      return h('div', { class: 'pupil-text' },
        h('p', { id: 'pupil-text-hint', class: 'pupil-hint' }, 'Type your answer here if you want to. You can skip this.'),
        box);
    }
    case 'drawing': return h('div', { class: 'pupil-drawing' },
      h('p', { class: 'pupil-hint' }, picture('drawing'), 'Draw with your finger or the pen. You can skip this.'),
      drawingPad({ items: lock.drawing, big: true, label: 'Your drawing',
        onchange: async () => { onText(); await persist(); } }));
    default: return null;
  }
}

/** Queue the entry; a drawing goes as a PNG in core.attachments, the same path as photos.
 * partial: staff left half-way and chose to keep what was given (core.partial). */
async function finish({ partial = false } = {}) {
  const answers = givenAnswers();
  const blobs = [];
  if (!isEmpty(lock.drawing)) {
    const blob = await toPng(lock.drawing);
    blobs.push({ sha256: await sha256Hex(blob), blob, type: 'image/png', size: blob.size });
  }
  const core = { pupil_id: lock.pupil.id, date: londonToday(), mode: 'independent',
    context: lock.context, supported_by: null, attachments: blobs.map((b) => b.sha256),
    // As views/voice.js: an intervention review names the group it is about.
    group_id: lock.context === 'intervention_review' && lock.intervention ? lock.intervention.id : null };
  if (partial) core.partial = true;
  await outbox.save(entryOp('pupil_voice', lock.template, core, answers), { kind: 'pupil_voice', blobs,
    summary: `Pupil voice (pupil mode${partial ? ', partial' : ''}): ${personName(lock.pupil)}, `
      + `${friendlyDate(core.date)}${blobs.length ? ', with a drawing' : ''}` });
  lock.done = true;
  lock.answers = {};
  lock.drawing = [];
  await persist();
}

/** Open a pupil-mode screen at the top, its heading focused: the progress line and the Staff
 * button must never start scrolled out of view (the previous screen may have been scrolled). */
function atTop(main) {
  window.scrollTo(0, 0);
  main.querySelector('h1')?.focus({ preventScroll: true });
}

export async function render(main, ctx) {
  if (!lock) { ctx.go('voice'); return; }
  await loadSymbols();
  const leave = () => unlock(ctx.go);
  const staffButton = () => h('button', { type: 'button', class: 'button secondary pupil-staff',
    onclick: () => staffExit(main, { unlock: afterPin, back: () => { draw(); atTop(main); } }) }, 'Staff');

  /** The right PIN: leave, unless answers were given and not yet saved; then staff choose. */
  async function afterPin(key) {
    resumeKey = key;
    if (lock.done || !hasAnswers()) { await leave(); return; }
    askKeep();
  }

  function askKeep() {
    const given = Object.keys(givenAnswers()).length;
    const drew = !isEmpty(lock.drawing);
    const what = [given ? plural(given, 'answer') : null, drew ? 'a drawing' : null].filter(Boolean).join(' and ');
    main.replaceChildren(h('section', { class: 'pupil-leave', 'aria-labelledby': 'keep-heading' },
      h('h1', { id: 'keep-heading', tabindex: '-1' }, 'Keep the answers given so far?'),
      h('p', {}, `${personName(lock.pupil)} gave ${what} before pupil mode was left. `
        + 'A partial entry is saved and sent like a full one, marked as partial.'),
      h('div', { class: 'button-row' },
        h('button', { type: 'button', class: 'button', onclick: async (e) => {
          e.currentTarget.disabled = true;  // one entry, however many taps
          const name = personName(lock.pupil);
          await finish({ partial: true });
          await leave();
          announce(`Saved ${name}'s answers so far as a partial entry.`);
        } }, 'Save as a partial entry'),
        h('button', { type: 'button', class: 'button danger', onclick: confirmDiscard }, 'Discard'),
        h('button', { type: 'button', class: 'button secondary', onclick: () => { draw(); atTop(main); } },
          'Back to the questions'))));
    atTop(main);
  }

  function confirmDiscard() {
    main.replaceChildren(h('section', { class: 'pupil-leave', 'aria-labelledby': 'discard-heading' },
      h('h1', { id: 'discard-heading', tabindex: '-1' }, 'Discard the answers?'),
      h('p', {}, `The answers ${personName(lock.pupil)} gave will not be saved anywhere. This cannot be undone.`),
      h('div', { class: 'button-row' },
        h('button', { type: 'button', class: 'button danger', onclick: leave }, 'Yes, discard the answers'),
        h('button', { type: 'button', class: 'button secondary', onclick: askKeep }, 'No, go back'))));
    atTop(main);
  }

  function draw() {
    if (lock.done) {
      main.replaceChildren(h('div', { class: 'pupil-thanks' },
        h('h1', {}, 'Thank you'),
        h('p', {}, 'Thank you for sharing your views. You can give the tablet back to your teacher now.')),
      staffButton());
      return;
    }
    const questions = pupilQuestions();
    lock.index = Math.max(0, Math.min(lock.index, questions.length - 1));
    const q = questions[lock.index];
    const last = lock.index === questions.length - 1;
    const isAnswered = () => (q === DRAWING ? !isEmpty(lock.drawing) : lock.answers[q.id] !== undefined);
    const answered = isAnswered();
    const step = (delta) => { lock.index += delta; persist(); draw(); atTop(main); };
    const heading = h('h1', { id: 'pupil-question', tabindex: '-1' }, q.prompt);
    const next = last
      ? h('button', { type: 'button', class: 'button', disabled: q.required && !answered,
        onclick: async (e) => {
          e.currentTarget.disabled = true;  // one entry, however many taps
          await finish();
          draw();
          atTop(main);
        } },
      'Finish')
      : h('button', { type: 'button', class: 'button', disabled: q.required && !answered,
        onclick: () => step(1) }, answered || q.required ? 'Next' : 'Skip');
    // Typing (or drawing) answers the question: "Skip" becomes "Next", and back if the box is
    // emptied, without a redraw, so the cursor stays in the box.
    const onText = () => {
      next.disabled = q.required && !isAnswered();
      if (!last) next.textContent = isAnswered() || q.required ? 'Next' : 'Skip';
    };
    main.replaceChildren(...[
      h('p', { class: 'pupil-progress' }, `Question ${lock.index + 1} of ${questions.length}`),
      heading,
      canSpeak() ? h('button', { type: 'button', class: 'button secondary pupil-read',
        onclick: () => speak(q.prompt) }, 'Read aloud') : null,
      control(q, draw, onText),
      q.required && !answered ? h('p', { class: 'pupil-hint' }, 'Choose one to go on.') : null,
      h('div', { class: 'pupil-nav' },
        h('button', { type: 'button', class: 'button secondary', disabled: lock.index === 0,
          onclick: () => step(-1) }, 'Previous question'),
        next),
      staffButton()].filter(Boolean));
  }
  main.classList.add('pupil-mode');
  draw();
  // The view is drawn off-screen and swapped in by the router: go to the top now and once more
  // after the swap, whatever the screen before was scrolled to.
  window.scrollTo(0, 0);
  requestAnimationFrame(() => { if (main.isConnected) window.scrollTo(0, 0); });
}
