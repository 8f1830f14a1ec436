// Items that need attention: records the server refused, or that someone else changed first,
// with what to fix in the form's words. Each opens in its form to fix, or is discarded after a
// confirmation (it stays in the export file). Nothing here holds back the rest of the outbox.
import * as db from '../db.js';
import * as outbox from '../outbox.js';
import { explain } from '../check.js';
import { KIND_ROUTES, KIND_TITLES, lookups, templateOf } from '../describe.js';
import { exportUnsynced } from '../export.js';
import { discard } from '../records.js';
import { announce, h } from '../ui.js';
import { friendlyDateTime } from '../words.js';
import { confirmDialog } from './record.js';

export async function render(main, ctx) {
  const ops = await db.getOps('quarantined');
  const photos = (await db.getBlobs()).filter((b) => b.state === 'quarantined');
  const names = await lookups();
  const items = await Promise.all(ops.map((r) => opItem(r, names, main, ctx)));
  main.append(...[h('h1', {}, 'Items that need attention'),
    h('p', {}, 'The server could not accept these. They are kept on this device; the rest of your work still syncs.'),
    ops.length || photos.length ? null : h('p', { class: 'panel' }, 'Nothing needs attention.'),
    h('ul', { class: 'plain', id: 'quarantine-list' }, items,
      photos.map((b) => h('li', { class: 'card' }, h('h2', {}, 'Photo'), h('p', {}, b.reason)))),
    ops.length || photos.length ? h('div', { class: 'button-row' }, h('button', { type: 'button',
      class: 'button secondary', onclick: () => exportUnsynced() }, 'Export my unsynced work')) : null]
    .filter(Boolean));
}

async function opItem(record, names, main, ctx) {
  const entry = record.op.entry || {};
  const template = entry.template_id ? await templateOf(entry) : null;
  const prompts = new Map((template?.definition.sections || []).flatMap((s) => s.questions).map((q) => [q.id, q.prompt]));
  const messages = explain(record.errors || {}, record.op, { pupil: names.pupil, question: (id) => prompts.get(id) || 'An answer' });
  const conflict = record.status === 'conflict';
  const rerender = async () => { main.replaceChildren(); await render(main, ctx); };
  const fix = conflict ? `#/record/${encodeURIComponent(entry.entry_id)}`
    : `#/${KIND_ROUTES[entry.kind]}/${encodeURIComponent(entry.entry_id)}`;
  return h('li', { class: 'card quarantined', dataset: { opId: record.op_id } },
    h('h2', {}, record.summary || KIND_TITLES[entry.kind] || 'A record'),
    conflict || !messages.length
      ? h('p', {}, h('strong', {}, conflict ? 'Changed by someone else: ' : 'Not accepted: '), record.reason)
      : h('p', {}, h('strong', {}, 'Not accepted. '), 'What to fix:'),
    messages.length ? h('ul', { class: 'field-errors' }, messages.map((m) => h('li', {}, m))) : null,
    h('p', { class: 'hint' }, `Saved ${friendlyDateTime(record.created_at)}`),
    h('div', { class: 'button-row' },
      entry.kind && !entry.deleted ? h('a', { class: 'button', href: fix },
        conflict ? 'Compare the versions' : 'Open it to fix') : null,
      h('button', { type: 'button', class: 'button secondary', onclick: async () => {
        await outbox.retry(record.op_id);
        announce('Sent again.');
        await rerender();
      } }, 'Try again'),
      h('button', { type: 'button', class: 'button secondary', onclick: async () => {
        if (!(await confirmDialog('Discard this record? It will not be sent. It stays in the export file '
          + 'of your unsynced work, so it can still be recovered.', 'Discard it'))) return;
        await discard(record);
        announce('Discarded. It is still in the export file.');
        await rerender();
      } }, 'Discard')));
}
