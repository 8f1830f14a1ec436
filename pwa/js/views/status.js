// Sync status: what is waiting, what needs attention, and when this device last heard from the
// server, in plain words; the app version only for IT support, folded away.
import * as db from '../db.js';
import * as outbox from '../outbox.js';
import { workerVersion } from '../sw-bridge.js';
import { h } from '../ui.js';
import { friendlyDateTime, plural } from '../words.js';

export async function render(main, ctx) {
  const { unsynced, quarantined, photos } = await outbox.counts();
  const waiting = (await db.countOps('pending')) + (await db.countOps('sending'));
  const lastPull = await db.getMeta('last_pull');
  const version = await workerVersion();
  main.append(...[h('h1', {}, 'Sync status'),
    h('dl', { class: 'panel', id: 'sync-facts' },
      h('dt', {}, 'Connection'), h('dd', {}, navigator.onLine ? 'Online' : 'Offline: work is saved on this device'),
      h('dt', {}, 'Waiting to sync'), h('dd', { id: 'pending-count' }, waiting ? plural(waiting, 'record') : 'Nothing'),
      h('dt', {}, 'Photos waiting'), h('dd', {}, photos ? plural(photos, 'photo') : 'None'),
      h('dt', {}, 'Need your attention'), h('dd', { id: 'quarantined-count' },
        quarantined ? h('a', { href: '#/quarantine' }, plural(quarantined, 'record')) : 'Nothing'),
      h('dt', {}, 'Last update from the server'), h('dd', { id: 'last-pull' }, lastPull ? friendlyDateTime(lastPull) : 'Not yet'),
      h('dt', {}, 'Works offline'), h('dd', { id: 'app-version' }, version ? 'Yes, this device has the app saved'
        : 'Not yet: open the app once more while online')),
    unsynced ? null : h('p', {}, 'Everything saved on this device has reached the server.'),
    h('div', { class: 'button-row' },
      h('button', { type: 'button', class: 'button', onclick: async () => {
        await ctx.syncNow();
        ctx.go('status');
      } }, 'Sync now and refresh'),
      quarantined ? h('a', { class: 'button secondary', href: '#/quarantine' }, 'Records that need attention') : null),
    version ? h('details', { class: 'tech' }, h('summary', {}, 'Details for IT support'),
      h('p', {}, 'App version ', h('code', { id: 'app-version-id' }, version))) : null].filter(Boolean));
}
