// Pupil mode (DESIGN §3, FORMS.md §3): a locked, full-screen view on a staff device that can only
// add one pupil's voice entry. One question at a time, very large choices (>= 88 px), read-aloud,
// no timers, sounds or animation. The header is hidden, the browser back is swallowed, and
// leaving needs the staff PIN set on this device (only its SHA-256 hash is stored, via db.js).
import * as db from '../db.js';
import * as outbox from '../outbox.js';
import { entryOp, questionsOf } from '../entries.js';
import { FACES3, FACES5, RAG, faceSvg, h, londonToday, personName } from '../ui.js';

const PIN_KEY = 'pupil_pin_hash';
const LOCK_KEY = 'pupil_lock';
const PIN_RE = /^\d{4,8}$/;

let lock = null;  // {pupil, template, context, index, answers, done}
let guardsOn = false;

export const isLocked = () => lock !== null;
export const validPin = (pin) => PIN_RE.test(pin);

async function sha256(textValue) {
  const bytes = new TextEncoder().encode(`send-evidence-pin:${textValue}`);
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export const hasPin = async () => Boolean(await db.getMeta(PIN_KEY));
export async function setPin(pin) {
  if (!validPin(pin)) throw new Error('The PIN must be 4 to 8 digits.');
  await db.setMeta(PIN_KEY, await sha256(pin));
}
async function pinMatches(pin) {
  const stored = await db.getMeta(PIN_KEY);
  return Boolean(stored) && validPin(pin) && stored === await sha256(pin);
}

/** The questions a pupil sees: the intervention question only in an intervention review. */
function pupilQuestions(template, context) {
  return questionsOf(template.definition)
    .filter((q) => q.id !== 'intervention' || context === 'intervention_review')
    .map((q) => ({ ...q, prompt: q.prompt.replace('{intervention}', 'your group sessions') }));
}

const persist = () => db.setMeta(LOCK_KEY, lock);

/** Staff hand the device over: lock first (persisted, so a reload stays locked), then show. */
export async function handOver({ pupil, template, context }, go) {
  lock = { pupil, template, context, index: 0, answers: {}, done: false };
  await persist();
  enterGuards();
  go('pupil');
}

/** At start-up: a device that was in pupil mode when closed opens in pupil mode again. */
export async function restore() {
  const saved = await db.getMeta(LOCK_KEY);
  if (!saved) return false;
  lock = saved;
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

function control(q, redraw) {
  const faces = (words) => words.map((word, i) => ({ value: i + 1, word,
    icon: faceSvg(words.length === 3 ? i + 2 : i + 1) }));
  switch (q.type) {
    case 'faces3': return bigChoices(q, faces(FACES3), redraw);
    case 'faces5': return bigChoices(q, faces(FACES5), redraw);
    case 'rag': return bigChoices(q, RAG.map((r) => ({ value: r.value, word: r.word, class: `rag rag-${r.value}`,
      icon: h('span', { class: 'glyph', 'aria-hidden': 'true' }, r.glyph) })), redraw);
    case 'choice': return bigChoices(q, q.options.map((o) => ({ value: o.value, word: o.label })), redraw);
    case 'scale': return bigChoices(q, Array.from({ length: q.max - q.min + 1 },
      (_, i) => ({ value: q.min + i, word: String(q.min + i) })), redraw);
    case 'text': case 'longtext': {
      const box = h('textarea', { id: 'pupil-text', rows: 4, maxlength: q.type === 'longtext' ? 5000 : 500,
        'aria-labelledby': 'pupil-question', 'aria-describedby': 'pupil-text-hint',
        oninput: (e) => { lock.answers[q.id] = e.target.value.trim() || undefined; persist(); } });
      box.value = lock.answers[q.id] || '';
      return h('div', { class: 'pupil-text' },
        h('p', { id: 'pupil-text-hint', class: 'pupil-hint' }, 'Type your answer here if you want to. You can skip this.'),
        box);
    }
    default: return null;
  }
}

async function finish(questions) {
  const answers = Object.fromEntries(Object.entries(lock.answers)
    .filter(([id, v]) => v !== undefined && v !== '' && questions.some((q) => q.id === id)));
  const core = { pupil_id: lock.pupil.id, date: londonToday(), mode: 'independent',
    context: lock.context, supported_by: null };
  await outbox.save(entryOp('pupil_voice', lock.template, core, answers),
    { kind: 'pupil_voice', summary: `Pupil voice (pupil mode): ${personName(lock.pupil)}, ${core.date}` });
  lock.done = true;
  lock.answers = {};
  await persist();
}

/** The staff-only way out: a PIN form. Wrong PIN is refused; the right one unlocks. */
function staffExit(main, ctx, redraw) {
  const message = h('p', { id: 'pin-message', class: 'pupil-hint', role: 'alert' });
  const pinInput = h('input', { type: 'password', id: 'staff-pin', inputmode: 'numeric',
    autocomplete: 'off', maxlength: 8, pattern: '[0-9]*' });
  const form = h('form', { class: 'pupil-pin', onsubmit: async (event) => {
    event.preventDefault();
    if (await pinMatches(pinInput.value)) { await unlock(ctx.go); return; }
    pinInput.value = '';
    message.textContent = 'That PIN is not right. Pupil mode stays on.';
    pinInput.focus();
  } },
  h('h1', {}, 'Staff only'),
  h('label', { for: 'staff-pin' }, 'Staff PIN to leave pupil mode'), pinInput, message,
  h('div', { class: 'button-row' },
    h('button', { type: 'submit', class: 'button' }, 'Unlock'),
    h('button', { type: 'button', class: 'button secondary', onclick: redraw }, 'Back to the questions')));
  main.replaceChildren(form);
  pinInput.focus();
}

export async function render(main, ctx) {
  if (!lock) { ctx.go('voice'); return; }
  const questions = pupilQuestions(lock.template, lock.context);
  const redraw = () => draw();
  const staffButton = () => h('button', { type: 'button', class: 'button secondary pupil-staff',
    onclick: () => staffExit(main, ctx, redraw) }, 'Staff');
  function draw() {
    if (lock.done) {
      main.replaceChildren(h('div', { class: 'pupil-thanks' },
        h('h1', {}, 'Thank you'),
        h('p', {}, 'Thank you for sharing your views. You can give the tablet back to your teacher now.')),
      staffButton());
      return;
    }
    lock.index = Math.max(0, Math.min(lock.index, questions.length - 1));
    const q = questions[lock.index];
    const last = lock.index === questions.length - 1;
    const answered = lock.answers[q.id] !== undefined;
    const step = (delta) => { lock.index += delta; persist(); draw(); main.querySelector('h1')?.focus(); };
    const heading = h('h1', { id: 'pupil-question', tabindex: '-1' }, q.prompt);
    main.replaceChildren(...[
      h('p', { class: 'pupil-progress' }, `Question ${lock.index + 1} of ${questions.length}`),
      heading,
      canSpeak() ? h('button', { type: 'button', class: 'button secondary pupil-read',
        onclick: () => speak(q.prompt) }, 'Read aloud') : null,
      control(q, draw),
      q.required && !answered ? h('p', { class: 'pupil-hint' }, 'Choose one to go on.') : null,
      h('div', { class: 'pupil-nav' },
        h('button', { type: 'button', class: 'button secondary', disabled: lock.index === 0,
          onclick: () => step(-1) }, 'Previous question'),
        last
          ? h('button', { type: 'button', class: 'button', disabled: q.required && !answered,
            onclick: async () => { await finish(questions); draw(); main.querySelector('h1')?.focus(); } },
          'Finish')
          : h('button', { type: 'button', class: 'button', disabled: q.required && !answered,
            onclick: () => step(1) }, answered || q.required ? 'Next' : 'Skip')),
      staffButton()].filter(Boolean));
  }
  main.classList.add('pupil-mode');
  draw();
}
