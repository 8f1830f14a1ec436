// The only module that touches IndexedDB. One connection promise, the schema in one place, and
// small async verbs. No verb awaits the network inside a transaction: a transaction closes as
// soon as the event loop sees it idle, so fetches happen before or after, never during.

export const DB_NAME = 'send-evidence';
export const DB_VERSION = 1;
export const META = 'meta';        // key -> value: device_id, device_seq, cursor, session
export const RECORDS = 'records';  // pulled data: {key: "type:id", type, id, data}
export const OUTBOX = 'outbox';    // ops keyed by op_id, with state and retry bookkeeping
export const BLOBS = 'blobs';      // photos keyed by sha256, until the server confirms them

function upgrade(db, oldVersion) {
  if (oldVersion < 1) {
    db.createObjectStore(META);
    db.createObjectStore(RECORDS, { keyPath: 'key' }).createIndex('type', 'type');
    const outbox = db.createObjectStore(OUTBOX, { keyPath: 'op_id' });
    outbox.createIndex('state', 'state');
    outbox.createIndex('device_seq', 'device_seq', { unique: true });
    db.createObjectStore(BLOBS, { keyPath: 'sha256' });
  }
}

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = (event) => upgrade(request.result, event.oldVersion);
    request.onsuccess = () => {
      const db = request.result;
      // WebKit can drop the connection ("connection lost"): forget it so the next call reopens.
      db.onclose = () => { dbPromise = null; };
      db.onversionchange = () => { db.close(); dbPromise = null; };
      resolve(db);
    };
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error('Close the app in other tabs, then reload.'));
  });
}

let dbPromise = null;

function getDb() {
  if (!dbPromise) dbPromise = open().catch((err) => { dbPromise = null; throw err; });
  return dbPromise;
}

const done = (tx) => new Promise((resolve, reject) => {
  tx.oncomplete = () => resolve();
  tx.onerror = () => reject(tx.error);
  tx.onabort = () => reject(tx.error || new Error('Transaction aborted'));
});

const result = (request) => new Promise((resolve, reject) => {
  request.onsuccess = () => resolve(request.result);
  request.onerror = () => reject(request.error);
});

/** Run fn(stores) in one transaction; resolves with fn's value once the transaction commits. */
async function withStores(names, mode, fn) {
  const tx = (await getDb()).transaction(names, mode);
  const committed = done(tx);
  const stores = Object.fromEntries([].concat(names).map((n) => [n, tx.objectStore(n)]));
  let value;
  try {
    value = await fn(stores);
  } catch (err) {
    try { tx.abort(); } catch { /* already finished */ }
    committed.catch(() => {});
    throw err;
  }
  await committed;
  return value;
}

// --- meta ---------------------------------------------------------------------------------

export const getMeta = (key) => withStores(META, 'readonly', (s) => result(s.meta.get(key)));
export const setMeta = (key, value) =>
  withStores(META, 'readwrite', (s) => { s.meta.put(value, key); });
export const deleteMeta = (key) => withStores(META, 'readwrite', (s) => { s.meta.delete(key); });

// --- records (pulled data) ----------------------------------------------------------------

/** Apply one pull page and its cursor in one transaction, so a crash never half-applies it. */
export function applyChanges(changes, reset, cursor) {
  return withStores([RECORDS, META], 'readwrite', (s) => {
    if (reset) s.records.clear();
    for (const change of changes) {
      const key = `${change.type}:${change.id}`;
      if (change.deleted) s.records.delete(key);
      else s.records.put({ key, type: change.type, id: change.id, data: change.data });
    }
    s.meta.put(cursor, 'cursor');
  });
}

export function putRecords(type, items) {
  return withStores(RECORDS, 'readwrite', (s) => {
    for (const [id, data] of items) s.records.put({ key: `${type}:${id}`, type, id, data });
  });
}

export async function getRecords(type) {
  const rows = await withStores(RECORDS, 'readonly', (s) => result(s.records.index('type').getAll(type)));
  return rows.map((row) => row.data);
}

export async function getRecord(type, id) {
  const row = await withStores(RECORDS, 'readonly', (s) => result(s.records.get(`${type}:${id}`)));
  return row ? row.data : null;
}

/** Forget pulled data (another user logs in); the outbox and photos are kept. */
export const clearRecords = () => withStores([RECORDS, META], 'readwrite', (s) => {
  s.records.clear();
  s.meta.delete('cursor');
});

// --- outbox ---------------------------------------------------------------------------------

/**
 * Queue an op and its photos atomically. device_seq is assigned here, in the same transaction
 * as the write, so it increases strictly per device even across tabs and restarts.
 */
export function enqueue(item, blobs = []) {
  return withStores([OUTBOX, BLOBS, META], 'readwrite', async (s) => {
    const seq = ((await result(s.meta.get('device_seq'))) || 0) + 1;
    s.meta.put(seq, 'device_seq');
    const op = { ...item.op, device_seq: seq };
    const record = { ...item, op, op_id: op.op_id, device_seq: seq, state: 'pending',
      attempts: 0, next_attempt_at: 0, created_at: Date.now() };
    s.outbox.add(record);
    for (const blob of blobs) s.blobs.put({ ...blob, op_id: op.op_id, state: 'waiting' });
    return record;
  });
}

export const getOps = (state) => withStores(OUTBOX, 'readonly', (s) =>
  result(state ? s.outbox.index('state').getAll(state) : s.outbox.getAll()));

export const getOp = (opId) => withStores(OUTBOX, 'readonly', (s) => result(s.outbox.get(opId)));

/** Apply changes to several ops in one transaction: changes is a map op_id -> fields. */
export function updateOps(changes) {
  return withStores(OUTBOX, 'readwrite', async (s) => {
    for (const [opId, fields] of Object.entries(changes)) {
      const record = await result(s.outbox.get(opId));
      if (record) s.outbox.put({ ...record, ...fields });
    }
  });
}

export const countOps = (state) => withStores(OUTBOX, 'readonly', (s) =>
  result(s.outbox.index('state').count(state)));

// --- blobs ----------------------------------------------------------------------------------

export const getBlobs = () => withStores(BLOBS, 'readonly', (s) => result(s.blobs.getAll()));
export const getBlob = (sha) => withStores(BLOBS, 'readonly', (s) => result(s.blobs.get(sha)));
export const countBlobs = () => withStores(BLOBS, 'readonly', (s) => result(s.blobs.count()));

export function updateBlob(sha, fields) {
  return withStores(BLOBS, 'readwrite', async (s) => {
    const record = await result(s.blobs.get(sha));
    if (record) s.blobs.put({ ...record, ...fields });
  });
}

/** Called only after the server has confirmed it holds these exact bytes. */
export const deleteBlob = (sha) => withStores(BLOBS, 'readwrite', (s) => { s.blobs.delete(sha); });
