// Sync status: what is waiting, what needs attention, and when data was last pulled.
import * as db from '../db.js';
import * as outbox from '../outbox.js';
import { workerVersion } from '../sw-bridge.js';
import { h } from '../ui.js';

export async function render(main, ctx) {
  const { unsynced, quarantined, photos } = await outbox.counts();
  const pending = (await db.getOps('pending')).length + (await db.getOps('sending')).length;
  const lastPull = await db.getMeta('last_pull');
  const version = await workerVersion();
  const when = lastPull ? new Date(lastPull).toLocaleString('en-GB', { timeZone: 'Europe/London' }) : 'Not yet';
  main.append(h('h1', {}, 'Sync status'),
    h('dl', { class: 'panel', id: 'sync-facts' },
      h('dt', {}, 'Connection'), h('dd', {}, navigator.onLine ? 'Online' : 'Offline: work is saved on this device'),
      h('dt', {}, 'Waiting to sync'), h('dd', { id: 'pending-count' }, String(pending)),
      h('dt', {}, 'Not yet synced in all'), h('dd', {}, `${unsynced}${photos ? ` (${photos} photo(s))` : ''}`),
      h('dt', {}, 'Need attention (quarantined)'), h('dd', { id: 'quarantined-count' }, String(quarantined)),
      h('dt', {}, 'Last pull from the server'), h('dd', { id: 'last-pull' }, when),
      h('dt', {}, 'App version'), h('dd', { id: 'app-version' }, version || 'Not installed for offline use yet')),
    h('div', { class: 'button-row' },
      h('button', { type: 'button', class: 'button', onclick: async () => {
        await ctx.syncNow();
        ctx.go('status');
      } }, 'Sync and refresh'),
      h('a', { class: 'button secondary', href: '#/quarantine' }, 'Problems list')));
}
