// Home: what to capture, my groups and pupils, and the state of my unsynced work.
import * as db from '../db.js';
import * as outbox from '../outbox.js';
import { exportUnsynced } from '../export.js';
import { session } from '../state.js';
import { announce, h, personName } from '../ui.js';

const CAPTURE = [
  ['session', 'session_record', 'Session record'],
  ['voice', 'pupil_voice', 'Pupil voice'],
  ['conversation', 'conversation', 'Conversation with parents'],
  ['walk', 'learning_walk', 'Learning walk'],
];
// Mirrors the server's WRITABLE_KINDS (sync/scope.py); the server still decides.
const WRITABLE = { ta: ['session_record', 'pupil_voice'] };
const STATE_WORDS = { pending: 'Waiting to sync', sending: 'Sending', done: 'Synced',
  quarantined: 'Needs attention' };

export async function render(main) {
  const role = session.staff.role;
  const kinds = WRITABLE[role] || (['senco', 'teacher'].includes(role) ? CAPTURE.map((c) => c[1]) : []);
  const { unsynced, quarantined, photos } = await outbox.counts();
  main.append(h('h1', {}, `Hello, ${session.staff.name}`),
    h('section', { class: 'panel', 'aria-labelledby': 'work-heading' },
      h('h2', { id: 'work-heading' }, 'Your work on this device'),
      h('p', { id: 'unsynced-summary' }, unsynced
        ? `${unsynced} item(s) not yet synced${photos ? `, including ${photos} photo(s)` : ''}.`
        : 'Everything you captured has reached the server.'),
      quarantined ? h('p', {}, h('a', { href: '#/quarantine' },
        `${quarantined} item(s) need your attention: see why`)) : null,
      h('div', { class: 'button-row' },
        h('a', { class: 'button secondary', href: '#/quarantine' }, 'Problems list'),
        h('button', { type: 'button', class: 'button secondary', onclick: async () => {
          const doc = await exportUnsynced();
          announce(`Saved a file with ${doc.ops.length} item(s) and ${doc.photos.length} photo(s).`);
        } }, 'Export my unsynced work'))),
    h('nav', { 'aria-labelledby': 'capture-heading' }, h('h2', { id: 'capture-heading' }, 'Capture'),
      h('ul', { class: 'tiles' }, CAPTURE.filter((c) => kinds.includes(c[1])).map(([route, , label]) =>
        h('li', {}, h('a', { class: 'button', href: `#/${route}` }, label))))),
    h('nav', { 'aria-labelledby': 'read-heading' }, h('h2', { id: 'read-heading' }, 'Read (works offline)'),
      h('ul', { class: 'tiles' }, [['passport', 'Pupil passports'], ['provision', 'Provision map'],
        ['reviews', 'Reviews due'], ['status', 'Sync status']].map(([route, label]) =>
        h('li', {}, h('a', { class: 'button secondary', href: `#/${route}` }, label))))),
    await groupsSection(), await pupilsSection(), await recentSection());
}

async function groupsSection() {
  const groups = (await db.getRecords('group')).filter((g) => g.active !== false);
  return h('section', { 'aria-labelledby': 'groups-heading' }, h('h2', { id: 'groups-heading' }, 'My groups'),
    groups.length ? h('ul', { class: 'list' }, groups.map((g) => h('li', {},
      `${g.name} · ${g.sessions_per_week}×${g.minutes_per_session} min a week`)))
      : h('p', {}, 'No groups yet.'));
}

async function pupilsSection() {
  const pupils = (await db.getRecords('pupil')).sort((a, b) => a.surname.localeCompare(b.surname));
  return h('section', { 'aria-labelledby': 'pupils-heading' }, h('h2', { id: 'pupils-heading' }, 'My pupils'),
    pupils.length ? h('ul', { class: 'list' }, pupils.map((p) => h('li', {},
      `${personName(p)} · Year ${p.year_group}${p.sen_provision ? ` · SEN ${p.sen_provision}` : ''}`)))
      : h('p', {}, 'No pupils yet.'));
}

async function recentSection() {
  const ops = (await db.getOps()).sort((a, b) => b.device_seq - a.device_seq).slice(0, 10);
  return h('section', { 'aria-labelledby': 'recent-heading' }, h('h2', { id: 'recent-heading' }, 'Recently saved'),
    ops.length ? h('ul', { class: 'list', id: 'recent' }, ops.map((r) => h('li', { dataset: { state: r.state } },
      h('span', { class: 'state' }, STATE_WORDS[r.state] || r.state), `: ${r.summary}`)))
      : h('p', {}, 'Nothing saved yet.'));
}
