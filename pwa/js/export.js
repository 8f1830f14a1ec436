// "Export my unsynced work": a JSON file of every op the server has not acknowledged, with its
// photos as base64, so nothing is lost even if the device or the browser storage fails.
import * as db from './db.js';
import { session } from './state.js';

function base64(blob) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(',', 2)[1]);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

/** Build the export document (also used by the tests). */
export async function unsyncedDocument() {
  const ops = (await db.getOps()).filter((r) => r.state !== 'done');
  const blobs = await db.getBlobs();
  return {
    format: 'send-evidence-unsynced/1',
    exported_at: new Date().toISOString(),
    device_id: session.deviceId,
    ops: ops.map(({ op, state, reason, errors, attempts, created_at, kind, summary, staff_id }) =>
      ({ op, state, reason, errors, attempts, created_at, kind, summary, staff_id })),
    photos: await Promise.all(blobs.map(async (b) => ({ sha256: b.sha256, op_id: b.op_id,
      type: b.type, data_base64: await base64(b.blob) }))),
  };
}

/** Download the document as a file. */
export async function exportUnsynced() {
  const doc = await unsyncedDocument();
  const file = new Blob([JSON.stringify(doc, null, 2)], { type: 'application/json' });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(file);
  link.download = `unsynced-work-${new Date().toISOString().slice(0, 19).replace(/:/g, '')}.json`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  return doc;
}
