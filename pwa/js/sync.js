// The pull side of sync: page through /sync/pull until `more` is false, applying each page and
// its cursor in one transaction. `reset` means the scope changed: replace what we hold.
import * as db from './db.js';
import { get } from './api.js';
import { events } from './state.js';

const PAGE = 500;

/** Pull every change since our cursor, then refresh the template list (built-ins included). */
export async function pullAll() {
  let cursor = await db.getMeta('cursor');
  for (;;) {
    const query = new URLSearchParams({ limit: String(PAGE) });
    if (cursor) query.set('since', cursor);
    const page = await get(`/api/v1/sync/pull?${query}`);
    await db.applyChanges(page.changes, page.reset, page.cursor);
    // The first day of this device's pull window (null: every entry): older ones are read online.
    if ('entries_from' in page) await db.setMeta('entries_from', page.entries_from);
    cursor = page.cursor;
    if (!page.more) break;
  }
  await pullTemplates();
  await db.setMeta('last_pull', new Date().toISOString());
  events.dispatchEvent(new Event('records'));
}

/** Built-in templates are not rows on the server, so pull does not carry them: list them. */
async function pullTemplates() {
  const templates = await get('/api/v1/templates/');
  await db.putRecords('template', templates.map((t) => [`${t.template_id}/${t.version}`, {
    template_id: t.template_id, version: t.version, kind: t.kind, title: t.title,
    definition: t.definition }]));
}
