// The staff PIN that leaves pupil mode. Only a salted SHA-256 of it is kept (IndexedDB meta, via
// db.js). After five wrong tries the form rests for 30 s, then 60 s, doubling up to 30 min; the
// rest is kept in IndexedDB too, so a reload does not reset it. The right PIN is refused while it
// lasts. The pupil sees a calm "ask a member of staff" and never a countdown (FORMS.md §3: no
// timers); staff are told the clock time to try again. The device clock is trusted: someone who
// can change the tablet's settings is already outside pupil mode.
import * as db from '../db.js';
import { h } from '../ui.js';

const PIN_KEY = 'pupil_pin_hash';
const LOCKOUT_KEY = 'pupil_pin_lockout';
const PIN_RE = /^\d{4,8}$/;
export const MAX_TRIES = 5;
export const FIRST_REST_MS = 30 * 1000;
const MAX_REST_MS = 30 * 60 * 1000;

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

const lockout = async () => (await db.getMeta(LOCKOUT_KEY)) || { failures: 0, rests: 0, until: 0 };

/** {result: 'ok'} | {result: 'wrong'} | {result: 'locked', until}; counts and persists tries. */
export async function tryPin(pin) {
  const state = await lockout();
  const now = Date.now();
  if (state.until > now) return { result: 'locked', until: state.until };
  if (await pinMatches(pin)) {
    await db.deleteMeta(LOCKOUT_KEY);
    return { result: 'ok' };
  }
  state.failures += 1;
  if (state.failures >= MAX_TRIES) {
    state.until = now + Math.min(MAX_REST_MS, FIRST_REST_MS * 2 ** state.rests);
    state.rests += 1;
    state.failures = 0;
  }
  await db.setMeta(LOCKOUT_KEY, state);
  return state.until > now ? { result: 'locked', until: state.until } : { result: 'wrong' };
}

/** The time staff may try again, rounded UP to the minute so "from 10:43" is never too early. */
function clockTime(until) {
  const minute = new Date(Math.ceil(until / 60000) * 60000);
  return minute.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' });
}

function showLocked(calm, message, until) {
  calm.hidden = false;
  message.textContent = `Staff: too many wrong PINs. The PIN can be tried again from ${clockTime(until)}.`;
}

/** The staff-only way out: a PIN form. Wrong PIN is refused; the right one calls unlock(). */
export async function staffExit(main, { unlock, back }) {
  const calm = h('p', { class: 'pupil-calm', id: 'pin-rest', hidden: true }, 'Please ask a member of staff.');
  const message = h('p', { id: 'pin-message', class: 'pupil-hint', role: 'alert' });
  const pinInput = h('input', { type: 'password', id: 'staff-pin', inputmode: 'numeric',
    autocomplete: 'off', maxlength: 8, pattern: '[0-9]*' });
  const form = h('form', { class: 'pupil-pin', onsubmit: async (event) => {
    event.preventDefault();
    const { result, until } = await tryPin(pinInput.value);
    if (result === 'ok') { await unlock(); return; }
    pinInput.value = '';
    if (result === 'locked') showLocked(calm, message, until);
    else {
      calm.hidden = true;  // an earlier rest is over
      message.textContent = 'That PIN is not right. Pupil mode stays on.';
    }
    pinInput.focus();
  } },
  h('h1', {}, 'Staff only'), calm,
  h('label', { for: 'staff-pin' }, 'Staff PIN to leave pupil mode'), pinInput, message,
  h('div', { class: 'button-row' },
    h('button', { type: 'submit', class: 'button' }, 'Unlock'),
    h('button', { type: 'button', class: 'button secondary', onclick: back }, 'Back to the questions')));
  main.replaceChildren(form);
  const state = await lockout();
  if (state.until > Date.now()) showLocked(calm, message, state.until);
  pinInput.focus();
}
