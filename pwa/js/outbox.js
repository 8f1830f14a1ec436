// The outbox of DESIGN §5.5: ops go oldest-first through pending -> sending -> done | quarantined.
// A local op is only marked done once the server has answered for it; nothing is ever deleted
// before that, and photos are cleared only when the server confirms it holds their hash.
import * as db from './db.js';
import { ApiError, request, setCsrf } from './api.js';
import { events, session, worksInSchool } from './state.js';
import { mayGoNow, settle } from './pupil-grant.js';

export const BATCH_SIZE = 100;
const BACKOFF_BASE_MS = 2000;
const BACKOFF_CAP_MS = 5 * 60 * 1000;
const TIMER_MS = 30 * 1000;

let running = null;
let again = false;

/** Capped exponential backoff with jitter, so many tablets do not retry in lockstep. */
export function backoff(attempts) {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/** Queue an entry op (and its photos) and try to send it straight away. */
export async function save(op, { kind, summary, blobs = [] }) {
  const record = await db.enqueue({ op, kind, summary, staff_id: session.staff?.id,
    blobs: blobs.map((b) => b.sha256) }, blobs);
  events.dispatchEvent(new Event('outbox'));
  sync();
  return record;
}

/** Whether a pass is sending right now: the header says "Sending…" only then. */
export const busy = () => running !== null;

/** Run one sync pass; concurrent calls share it and ask for one more pass afterwards. */
export function sync({ force = false } = {}) {
  if (running) { again = true; return running; }
  running = (async () => {
    events.dispatchEvent(new Event('status'));
    try {
      do {
        again = false;
        await pass(force);
      } while (again);
    } finally {
      running = null;
      events.dispatchEvent(new Event('outbox'));
      events.dispatchEvent(new Event('status'));
    }
  })();
  return running;
}

async function pass(force) {
  if (!session.staff || !worksInSchool(session.staff.role) || session.authNeeded || !navigator.onLine) return;
  if (!(await settle())) return;  // a pupil-mode grant left open offline ends first
  status('');
  let more = 'more';
  while (more === 'more') more = await pushBatch(force);
  if (more === 'failed') return;  // failed() has said why; photos wait for the next pass
  await uploadPhotos();
  if (!session.authNeeded) status('');
}

/** Ops that may go now: this user's, not waiting out a backoff, oldest first. */
async function dueOps(force) {
  const now = Date.now();
  const pending = await db.getOps('pending');
  return pending
    .filter((r) => r.staff_id === session.staff.id && (force || r.next_attempt_at <= now) && mayGoNow(r))
    .sort((a, b) => a.device_seq - b.device_seq)
    .slice(0, BATCH_SIZE);
}

/** Send one batch. Returns 'more' if another may follow now, 'done', or 'failed'. */
async function pushBatch(force) {
  const batch = await dueOps(force);
  if (!batch.length) return 'done';
  await db.updateOps(Object.fromEntries(batch.map((r) => [r.op_id, { state: 'sending' }])));
  let response;
  try {
    response = await request('POST', '/api/v1/sync/push',
      { json: { device_id: session.deviceId, ops: batch.map((r) => r.op) } });
  } catch (err) {
    await failed(batch, err);
    return 'failed';
  }
  await applyResults(batch, response.results || []);
  return batch.length === BATCH_SIZE ? 'more' : 'done';
}

/** Map each result onto its op: accepted/duplicate are done, rejected/conflict are quarantined. */
async function applyResults(batch, results) {
  const byId = new Map(results.map((r) => [r.op_id, r]));
  const changes = {};
  for (const record of batch) {
    const result = byId.get(record.op_id);
    if (!result) {
      changes[record.op_id] = { state: 'pending', reason: 'The server did not answer for this item.' };
    } else if (result.status === 'accepted' || result.status === 'duplicate') {
      changes[record.op_id] = { state: 'done', done_at: Date.now(), entry_id: result.entry_id,
        rev: result.rev, reason: null, errors: null };
    } else {
      changes[record.op_id] = { state: 'quarantined', status: result.status, rev: result.rev ?? null,
        reason: result.message || reasonFor(result.status), errors: result.errors || {} };
    }
  }
  await db.updateOps(changes);
  events.dispatchEvent(new Event('outbox'));
}

function reasonFor(status) {
  return status === 'conflict'
    ? 'Someone changed this record after you opened it.'
    : 'The server could not accept this record: see what needs fixing.';
}

/** Put the batch back as pending. A network or server failure waits out a backoff. */
async function failed(batch, err) {
  const auth = err instanceof ApiError && err.kind === 'auth';
  const now = Date.now();
  const changes = Object.fromEntries(batch.map((r) => {
    const attempts = auth ? r.attempts : r.attempts + 1;
    return [r.op_id, { state: 'pending', attempts, reason: err.message,
      next_attempt_at: auth ? 0 : now + backoff(attempts) }];
  }));
  await db.updateOps(changes);
  if (err.status === 403) refreshCsrf();
  if (auth) {
    session.authNeeded = true;
    events.dispatchEvent(new Event('auth-needed'));
    status('Log in again to send your work. It is kept on this device.');
  } else {
    status(err.retryable ? 'Offline or server busy: will retry.' : `Sync failed: ${err.message}`);
  }
}

/** A 403 is usually a stale CSRF token (e.g. the server was redeployed): fetch the current one. */
async function refreshCsrf() {
  try {
    setCsrf((await request('GET', '/api/v1/me')).csrf_token);
  } catch { /* offline or logged out: the next pass tries again */ }
}

/** Upload photos whose entry the server has acknowledged; delete a blob only when confirmed. */
async function uploadPhotos() {
  for (const blob of await db.getBlobs()) {
    if (blob.state === 'quarantined') continue;
    const op = await db.getOp(blob.op_id);
    if (!op || op.state !== 'done') continue;
    try {
      if (!(await serverHas(blob.sha256))) {
        await request('PUT', `/api/v1/attachments/${blob.sha256}`,
          { body: blob.blob, headers: { 'Content-Type': blob.type || 'image/jpeg' } });
      }
      await db.deleteBlob(blob.sha256);
    } catch (err) {
      if (err.kind === 'auth') { session.authNeeded = true; return; }
      if (err.kind === 'client') {
        await db.updateBlob(blob.sha256, { state: 'quarantined', reason: err.message,
          errors: err.errors });
      }
      if (err.retryable) return;
    }
  }
}

/** Ask before sending the bytes: a 404 means upload, a 200 means the server holds them. */
async function serverHas(sha) {
  try {
    await request('GET', `/api/v1/attachments/${sha}/meta`);
    return true;
  } catch (err) {
    if (err.status === 404) return false;
    throw err;
  }
}

/** Unsynced work: ops not yet done plus photos not yet confirmed. */
export async function counts() {
  const [pending, sending, quarantined, photos] = await Promise.all([
    db.countOps('pending'), db.countOps('sending'), db.countOps('quarantined'), db.countBlobs()]);
  return { unsynced: pending + sending + quarantined + photos, quarantined, photos };
}

/** After a crash or reload mid-send we never heard back: those ops are pending again (safe to
 * resend, the server answers duplicate). */
export async function recover() {
  const stuck = await db.getOps('sending');
  await db.updateOps(Object.fromEntries(stuck.map((r) => [r.op_id, { state: 'pending' }])));
}

/** Send a quarantined op again, e.g. after the pupil was added to the user's scope. */
export async function retry(opId) {
  await db.updateOps({ [opId]: { state: 'pending', attempts: 0, next_attempt_at: 0 } });
  return sync({ force: true });
}

function status(text) {
  session.syncStatus = text;
  events.dispatchEvent(new Event('status'));
}

/** Sync on 'online', when the app comes back to the foreground, and on a timer. */
export function start() {
  window.addEventListener('online', () => sync({ force: true }));
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') sync();
  });
  setInterval(() => sync(), TIMER_MS);
}
