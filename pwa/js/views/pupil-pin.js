// The staff PIN that leaves pupil mode. It is stretched with PBKDF2-SHA-256 (WebCrypto) over a
// random per-device salt, at the server's iteration count (600,000 by default; tests set fewer),
// into a key. Only sha256(key) is kept (IndexedDB meta, via db.js), and the key itself, derived
// again from the typed PIN, is what gives the server-side login back (js/pupil-grant.js), so
// reading the device's storage is not enough to leave pupil mode. After five wrong tries the form rests for 30 s, then 60 s, doubling up to 30 min; the
// rest is kept in IndexedDB too, so a reload does not reset it. The right PIN is refused while it
// lasts. The pupil sees a calm "ask a member of staff" and never a countdown (FORMS.md §3: no
// timers); staff are told the clock time to try again. The device clock is trusted: someone who
// can change the tablet's settings is already outside pupil mode.
import * as db from '../db.js';
import { pinIterations } from '../pupil-grant.js';
import { h } from '../ui.js';

const PIN_KEY = 'pupil_pin';
const LEGACY_KEY = 'pupil_pin_hash';  // a fixed-salt SHA-256, from before: read, never written
const DEFAULT_ITERATIONS = 600000;
const LOCKOUT_KEY = 'pupil_pin_lockout';
const PIN_RE = /^\d{4,8}$/;
export const MAX_TRIES = 5;
export const FIRST_REST_MS = 30 * 1000;
const MAX_REST_MS = 30 * 60 * 1000;

export const validPin = (pin) => PIN_RE.test(pin);

const hex = (bytes) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
const unhex = (text) => new Uint8Array(text.match(/../g).map((b) => parseInt(b, 16)));
const sha256Hex = async (bytes) => hex(await crypto.subtle.digest('SHA-256', bytes));

async function derive(pin, salt, iterations) {
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false,
    ['deriveBits']);
  return new Uint8Array(await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    material, 256));
}

/** A PIN from before keys existed no longer counts as set: staff choose a new one once. */
export const hasPin = async () => Boolean(await db.getMeta(PIN_KEY));

/** The check value the server holds for this PIN: sha256 of its key. */
export const pinCheck = async () => (await db.getMeta(PIN_KEY))?.check || null;

export async function setPin(pin) {
  if (!validPin(pin)) throw new Error('The PIN must be 4 to 8 digits.');
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iterations = (await pinIterations()) || DEFAULT_ITERATIONS;
  const key = await derive(pin, salt, iterations);
  await db.setMeta(PIN_KEY, { salt: hex(salt), iterations, check: await sha256Hex(key) });
  await db.deleteMeta(LEGACY_KEY);
}

/** The PIN's key (hex) if it is right, '' if an old-style PIN matched, else null. */
async function pinKey(pin) {
  if (!validPin(pin)) return null;
  const stored = await db.getMeta(PIN_KEY);
  if (stored) {
    const key = await derive(pin, unhex(stored.salt), stored.iterations);
    return (await sha256Hex(key)) === stored.check ? hex(key) : null;
  }
  // A device locked before this version: its old hash still lets staff out, once.
  const legacy = await db.getMeta(LEGACY_KEY);
  const old = await sha256Hex(new TextEncoder().encode(`send-evidence-pin:${pin}`));
  return legacy && legacy === old ? '' : null;
}

const lockout = async () => (await db.getMeta(LOCKOUT_KEY)) || { failures: 0, rests: 0, until: 0 };

/** {result: 'ok', key} | {result: 'wrong'} | {result: 'locked', until}; counts and persists
 * tries. `key` is what the server needs to give the login back. */
export async function tryPin(pin) {
  const state = await lockout();
  const now = Date.now();
  if (state.until > now) return { result: 'locked', until: state.until };
  const key = await pinKey(pin);
  if (key !== null) {
    await db.deleteMeta(LOCKOUT_KEY);
    return { result: 'ok', key };
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
    const { result, until, key } = await tryPin(pinInput.value);
    if (result === 'ok') { await unlock(key); return; }
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
