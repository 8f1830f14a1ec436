// Pupil mode on the server (server/pupil_mode.py). Entering it sets a cookie naming a ticket from
// the last login or profile read, the pupil, and the check value of the staff PIN's key
// (views/pupil-pin.js). The cookie goes with every request the browser makes from then on, an
// address typed into the address bar included, so the server suspends this login at the first
// request, online now or later. Leaving sends the key only the PIN derives; offline it waits,
// and is sent before anything else when the connection is back.
import * as db from './db.js';
import { request } from './api.js';
import { session } from './state.js';

const COOKIE = 'send_pupil_mode';
const TICKET = 'pupil_mode_ticket';
const ITERATIONS = 'pin_kdf_iterations';
const PENDING_END = 'pupil_mode_end';

/** Keep what a login or profile read says about pupil mode: a fresh ticket, the PIN's cost. */
export async function keep(me) {
  if (me && me.pupil_mode_ticket) await db.setMeta(TICKET, me.pupil_mode_ticket);
  if (me && me.pin_kdf_iterations) await db.setMeta(ITERATIONS, me.pin_kdf_iterations);
}

export const pinIterations = () => db.getMeta(ITERATIONS);

/** Hand this login to one pupil. */
export async function enter(pupilId, check) {
  const ticket = (await db.getMeta(TICKET)) || '';
  await db.deleteMeta(TICKET);  // a ticket starts one grant
  document.cookie = `${COOKIE}=${ticket}~${pupilId}~${check || ''}; path=/; samesite=strict; max-age=43200`;
  session.pupilMode = { pupilId };
  if (!navigator.onLine) return;
  try {
    await request('POST', '/api/v1/pupil-mode', { json: check ? { pupil_id: pupilId, resume_check: check }
      : { pupil_id: pupilId } });
  } catch { /* the cookie starts it with the next request */ }
}

/** After a reload in pupil mode. */
export function resume(pupilId) {
  session.pupilMode = { pupilId };
}

/** Give the login back with the PIN's key (hex; empty for a PIN set before keys existed). */
export async function leave(key) {
  document.cookie = `${COOKIE}=; path=/; samesite=strict; max-age=0`;
  session.pupilMode = null;
  await db.setMeta(PENDING_END, key || '');
  await settle();
}

/** Before anything else is sent: end a grant left open while offline. True once none is. */
export async function settle() {
  const key = await db.getMeta(PENDING_END);
  if (key === undefined || key === null) return true;
  if (!navigator.onLine) return false;
  try {
    const done = await request('POST', '/api/v1/pupil-mode/end', { json: key ? { resume_key: key } : {} });
    await keep(done);
  } catch (err) {
    if (err.retryable || err.kind === 'auth') return false;
    // Refused outright (it can only be a leftover): a password login starts afresh anyway.
  }
  await db.deleteMeta(PENDING_END);
  return true;
}

/** In pupil mode, only the pupil's own new voice entries may go (the server refuses the rest). */
export function mayGoNow(record) {
  if (!session.pupilMode) return true;
  const entry = record.op.entry;
  return record.op.type === 'entry' && entry.kind === 'pupil_voice' && !entry.base_rev && !entry.deleted
    && entry.core.pupil_id === session.pupilMode.pupilId;
}
