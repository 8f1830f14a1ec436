// Records older than this device's pull window, read online from GET /api/v1/entries (issue 16).
// They are held in memory only, never in IndexedDB: they must not be pushed back, counted as
// local work, or kept on a shared tablet once the page is closed.
import * as db from './db.js';
import { get } from './api.js';
import { session } from './state.js';

export const PAGE = 20;
export const KEPT_ON_SERVER = 'Kept on the server, not on this device';
// Someone is waiting on the page: a server that takes the connection and never answers must
// not leave "Reading older records…" up until the browser gives up, minutes later.
export const READ_TIMEOUT_MS = 20000;

const copies = new Map();  // entry id -> the reader's copy, as the server cut it
const lists = new Map();   // "staff/pupil" -> { items, next, done }: the list as far as it was read

const listKey = (pupilId) => `${session.staff ? session.staff.id : 0}/${pupilId}`;

/** The list read so far for this pupil in this tab, so going back to the page keeps it. */
export const shownFor = (pupilId) => lists.get(listKey(pupilId)) || null;

/** "2026-09-03" -> "2026-09-02": the last day before the window. */
export function dayBefore(iso) {
  const day = new Date(`${iso}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - 1);
  return day.toISOString().slice(0, 10);
}

/**
 * Where older records end: { before: the last day they can hold (null: any day), from: the
 * window's first day if known }. null when the device took every record, so none is older.
 */
export async function olderThan(localEntries) {
  const from = await db.getMeta('entries_from');
  if (from === null) return null;
  if (from) return { before: dayBefore(from), from };
  // A device that synced before it kept its window: older than the oldest record it holds.
  const oldest = localEntries.map((e) => e.date).filter(Boolean).sort()[0];
  return { before: oldest ? dayBefore(oldest) : null, from: null };
}

/** Read the next page of a pupil's older records; local ids are left out (they show above). */
export async function readMore(pupilId, before, localIds) {
  const list = shownFor(pupilId) || { items: [], next: null, done: false };
  const query = new URLSearchParams({ pupil_id: String(pupilId), limit: String(PAGE) });
  if (before) query.set('date_to', before);
  if (list.next) query.set('cursor', list.next);
  const page = await get(`/api/v1/entries/?${query}`, { timeoutMs: READ_TIMEOUT_MS });
  const listed = new Set(list.items.map((e) => e.entry_id));
  const fresh = page.items.filter((e) => !localIds.has(e.entry_id) && !listed.has(e.entry_id));
  for (const item of fresh) copies.set(item.entry_id, item);
  const read = { items: [...list.items, ...fresh], next: page.next_cursor, done: !page.next_cursor };
  lists.set(listKey(pupilId), read);
  return { read, fresh };
}

/** The copy of a record already read from the server in this tab, or null. */
export const heldCopy = (entryId) => copies.get(entryId) || null;

/** One record kept on the server: the copy already read, else fetched (a 404 rejects). */
export async function serverCopy(entryId) {
  if (copies.has(entryId)) return copies.get(entryId);
  const item = await get(`/api/v1/entries/${encodeURIComponent(entryId)}`, { timeoutMs: READ_TIMEOUT_MS });
  copies.set(item.entry_id, item);
  return item;
}

/** What went wrong, in words a member of staff can act on; never a code or a trace. */
export function problemWords(err) {
  if (err.timedOut) return 'The school\'s server took too long to answer. Try again in a minute.';
  if (err.kind === 'network') return 'The school\'s server could not be reached. Check the connection, then try again.';
  if (err.kind === 'auth') return 'Your session has ended: log in again, then try again.';
  if (err.kind === 'server') return 'The school\'s server had a problem answering. Try again in a minute.';
  // The server's own words ("Your role cannot do this."): the app says what the API says.
  if (err.status === 403) return err.message;
  return 'The older records could not be read. Try again, or ask the SENCO if it keeps happening.';
}
