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
const ALL_KINDS = CAPTURE.map((c) => c[1]);
const kindsOf = (role) => WRITABLE[role] || (['senco', 'teacher'].includes(role) ? ALL_KINDS : []);
// Mirrors the role matrix (tests/test_role_matrix.py): passports and reviews are for staff who
// work with pupils; admin and viewer (head, governor) see aggregates only.
const WITH_PUPILS = ['senco', 'teacher', 'ta'];
const READ = [['passport', 'Pupil passports', WITH_PUPILS], ['provision', 'Provision map', null],
  ['reviews', 'Reviews due', WITH_PUPILS], ['status', 'Sync status', null]];
const CAPTURE_ROUTE = { session: 'session_record', voice: 'pupil_voice', pupil: 'pupil_voice',
  conversation: 'conversation', walk: 'learning_walk' };

/** Whether a role may open a route; the router uses it, so a typed address cannot reach more. */
export function allowed(route, role) {
  if (CAPTURE_ROUTE[route]) return kindsOf(role).includes(CAPTURE_ROUTE[route]);
  const read = READ.find((r) => r[0] === route);
  return !read || !read[2] || read[2].includes(role);
}
const STATE_WORDS = { pending: 'Waiting to sync', sending: 'Sending', done: 'Synced',
  quarantined: 'Needs attention' };

export async function render(main) {
  const role = session.staff.role;
  const kinds = kindsOf(role);
  const { unsynced, quarantined, photos } = await outbox.counts();
  // Element.append would write "null" for the sections a role does not get: filter them out.
  main.append(...[h('h1', {}, `Hello, ${session.staff.name}`),
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
    kinds.length ? h('nav', { 'aria-labelledby': 'capture-heading' }, h('h2', { id: 'capture-heading' }, 'Capture'),
      h('ul', { class: 'tiles' }, CAPTURE.filter((c) => kinds.includes(c[1])).map(([route, , label]) =>
        h('li', {}, h('a', { class: 'button', href: `#/${route}` }, label))))) : null,
    h('nav', { 'aria-labelledby': 'read-heading' }, h('h2', { id: 'read-heading' }, 'Read (works offline)'),
      h('ul', { class: 'tiles' }, READ.filter(([route]) => allowed(route, role)).map(([route, label]) =>
        h('li', {}, h('a', { class: 'button secondary', href: `#/${route}` }, label))))),
    // Pupil lists are individual data: a viewer sees aggregates only.
    role === 'viewer' ? null : await groupsSection(), role === 'viewer' ? null : await pupilsSection(),
    await recentSection(),
    h('p', { class: 'about' }, h('a', { href: '#/credits' }, 'Picture credits and licences'))].filter(Boolean));
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
