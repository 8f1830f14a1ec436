// A saved record as this device knows it: the server's copy (pulled) and this device's ops for
// it that the server has not confirmed. Saving, correcting, withdrawing and discarding go
// through here, so every form keeps the same rules:
// - a correction is a new version with base_rev, offline too: the rev it will follow is
//   known from the ops still queued (each queued op makes exactly one new rev);
// - fixing a refused record replaces it (the server never stored it), and the refused op is
//   kept as "discarded", so it still goes into the export file;
// - nothing is ever deleted from the outbox.
import * as db from './db.js';
import * as outbox from './outbox.js';
import { entryOp } from './entries.js';
import { events, session } from './state.js';
import { announce } from './ui.js';

const WAITING = new Set(['pending', 'sending']);

async function opsFor(entryId) {
  return (await db.getOps()).filter((r) => r.op.type === 'entry' && r.op.entry.entry_id === entryId)
    .sort((a, b) => a.device_seq - b.device_seq);
}

/** The rev a queued op will make: one after the version it corrects. */
const revAfter = (op) => (op.entry.base_rev || 0) + 1;

/**
 * {entry, rev, state, op, server} for an entry id, or null when this device knows nothing of it.
 * entry: the newest content (a queued or refused op beats the server's copy); rev: the rev a
 * correction must name as base_rev (0 when nothing reached the server yet); state: 'synced',
 * 'waiting', 'quarantined' or 'conflict'; op: the newest unconfirmed op record, if any.
 */
export async function current(entryId) {
  const server = await db.getRecord('entry', entryId);
  const ops = (await opsFor(entryId)).filter((r) => r.state !== 'discarded');
  const open = ops.filter((r) => r.state !== 'done');
  const done = ops.filter((r) => r.state === 'done');
  let rev = Math.max(server ? server.rev : 0, ...done.map((r) => r.rev || 0));
  const waiting = open.filter((r) => WAITING.has(r.state));
  if (waiting.length) rev = Math.max(rev, revAfter(waiting[waiting.length - 1].op));
  const last = open[open.length - 1] || null;
  if (!server && !ops.length) return null;
  const newest = last ? last.op.entry : (server && server.rev >= Math.max(0, ...done.map((r) => r.rev || 0))
    ? server : done[done.length - 1].op.entry);
  const state = !last ? 'synced' : last.state === 'quarantined'
    ? (last.status === 'conflict' ? 'conflict' : 'quarantined') : 'waiting';
  const mine = Boolean(session.staff) && ops.some((r) => r.staff_id === session.staff.id);
  return { entry: newest, rev, state, op: last, server, mine };
}

/** The person who first recorded it, or the SENCO, may correct or withdraw (server/policy.py). */
export function mayAmend(version) {
  if (!session.staff) return false;
  if (session.staff.role === 'senco') return true;
  if (version.server) return version.server.author_id === session.staff.id;
  return version.mine;
}

/** Mark a refused or superseded op as discarded: out of the outbox, still in the export file. */
export async function discard(record) {
  await db.updateOps({ [record.op_id]: { state: 'discarded', discarded_at: Date.now() } });
  events.dispatchEvent(new Event('outbox'));
}

/**
 * Save a form: a new record, or (editing = current() of the record) a correction of it.
 * Returns the outbox record. Fixing a refused record sends it again in place of the refusal.
 */
export async function saveEntry({ kind, template, core, answers = {}, summary, blobs = [], editing = null }) {
  let options = {};
  if (editing) {
    const refused = editing.op && editing.op.state === 'quarantined' ? editing.op : null;
    // A refused first version was never stored: its fix is again a first version.
    const base = refused ? refused.op.entry.base_rev : (editing.rev || null);
    options = { entryId: editing.entry.entry_id, baseRev: base || null };
    if (refused) await discard(refused);
  }
  const op = entryOp(kind, template, core, answers, options);
  const record = await outbox.save(op, { kind, summary, blobs });
  announce(navigator.onLine ? (editing ? 'Saved the correction.' : 'Saved.')
    : 'Saved on this device. It will be sent when you are back online.');
  return record;
}

/** Withdraw a record: a tombstone, or, if nothing of it has left this device, discard it. */
export async function withdraw(version) {
  const ops = (await opsFor(version.entry.entry_id)).filter((r) => r.state !== 'discarded');
  if (!version.server && ops.every((r) => r.state === 'pending' || r.state === 'quarantined')) {
    for (const record of ops) await discard(record);
    announce('Withdrawn. It had not been sent, so nothing reached the server.');
    return;
  }
  const e = version.entry;
  const op = entryOp(e.kind, { template_id: e.template_id, version: e.template_version }, {}, {},
    { entryId: e.entry_id, baseRev: version.rev, deleted: true });
  const earlier = (await opsFor(e.entry_id)).filter((r) => r.summary).pop();
  await outbox.save(op, { kind: e.kind, summary: earlier ? earlier.summary : 'A withdrawn record' });
  announce('Withdrawn. The record stays in the history for the SENCO.');
}
