// The problems list: ops the server rejected or that conflict, with the reason and the field
// messages, plus photos it refused. Nothing here blocks the rest of the outbox.
import * as db from '../db.js';
import * as outbox from '../outbox.js';
import { flattenErrors } from '../api.js';
import { exportUnsynced } from '../export.js';
import { announce, h } from '../ui.js';

export async function render(main, ctx) {
  const ops = await db.getOps('quarantined');
  const photos = (await db.getBlobs()).filter((b) => b.state === 'quarantined');
  main.append(...[h('h1', {}, 'Items that need attention'),
    h('p', {}, 'The server could not accept these. They are kept on this device; the rest of your work still syncs.'),
    ops.length || photos.length ? null : h('p', { class: 'panel' }, 'Nothing needs attention.'),
    h('ul', { class: 'plain', id: 'quarantine-list' }, ops.map((r) => opItem(r, main, ctx)),
      photos.map((b) => h('li', { class: 'card' }, h('h2', {}, 'Photo'), h('p', {}, b.reason)))),
    h('div', { class: 'button-row' }, h('button', { type: 'button', class: 'button secondary',
      onclick: () => exportUnsynced() }, 'Export my unsynced work'))].filter(Boolean));
}

function opItem(record, main, ctx) {
  // Paths read better without the op envelope: "core.pupils: ..." rather than "entry.core.pupils".
  const fields = flattenErrors(record.errors || {}).map((m) => m.replace(/^entry\./, ''));
  return h('li', { class: 'card quarantined', dataset: { opId: record.op_id } },
    h('h2', {}, record.summary || record.kind),
    h('p', {}, h('strong', {}, record.status === 'conflict' ? 'Conflict: ' : 'Not accepted: '), record.reason),
    fields.length ? h('ul', { class: 'field-errors' }, fields.map((m) => h('li', {}, m))) : null,
    h('p', { class: 'hint' }, `Saved ${new Date(record.created_at).toLocaleString('en-GB')}`),
    h('button', { type: 'button', class: 'button secondary', onclick: async () => {
      await outbox.retry(record.op_id);
      announce('Sent again.');
      main.replaceChildren();
      await render(main, ctx);
    } }, 'Try again'));
}
