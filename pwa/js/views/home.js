// Home: what to capture, my groups and pupils, and the state of my unsynced work.
import * as db from '../db.js';
import * as outbox from '../outbox.js';
import { exportUnsynced } from '../export.js';
import { concernAlert, readsSafeguarding } from '../concern-alert.js';
import { events, session, worksInSchool } from '../state.js';
import { announce, field, h, input, personName } from '../ui.js';
import { plural, senWords, yearWords } from '../words.js';

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
// Running SEND provision (the SENCO's and admin's workspace): [route, label, roles]. The server
// decides again (server/policy.py); this only keeps screens a role cannot use off its home.
// Most used first: the SENCO's week, then safeguarding, then the school's settings.
const MANAGE = [
  ['groups', 'Interventions and groups', ['senco', 'admin']],
  // Safeguarding is for the SENCO and designated safeguarding leads of any role (allowed() below).
  ['concerns', 'Safeguarding concerns', ['senco']],
  ['audit', 'Audit log', ['admin', 'senco']],
  ['data-access', 'Who saw pupils’ data', ['senco']],  // and DSLs: allowed() below
  ['mis', 'MIS sync', ['admin', 'senco']],
  ['staff', 'Staff', ['admin', 'senco']],
  ['terms', 'School terms', ['admin', 'senco']],
  ['forms', 'School forms', ['admin', 'senco']],
  ['security', 'Second step at login', ['senco', 'admin']],
  ['password', 'Change my password', null],
];
const CAPTURE_ROUTE = { session: 'session_record', voice: 'pupil_voice', pupil: 'pupil_voice',
  conversation: 'conversation', walk: 'learning_walk' };

// A trust's or local authority's officer (issue 16): their home is the roll-up of the schools
// shared with them, and nothing of a school's own is theirs to open.
const TRUST_ROUTES = ['trust', 'password', 'credits'];
/** The screen "home" means for a role. */
export const homeFor = (role) => (worksInSchool(role) ? 'home' : 'trust');

/** Whether a role may open a route; the router uses it, so a typed address cannot reach more. */
export function allowed(route, role) {
  if (!worksInSchool(role)) return TRUST_ROUTES.includes(route);
  if (route === 'trust') return false;
  if (CAPTURE_ROUTE[route]) return kindsOf(role).includes(CAPTURE_ROUTE[route]);
  if (route === 'record') return WITH_PUPILS.includes(role);
  if (route === 'pupil-page') return WITH_PUPILS.includes(role);  // a viewer sees aggregates only
  if (route === 'data-access') return role === 'senco' || Boolean(session.staff && session.staff.is_dsl);
  if (route === 'concerns' || route === 'concern') return role === 'senco' || readsSafeguarding(session.staff);
  const listed = READ.find((r) => r[0] === route) || MANAGE.find((r) => r[0] === route);
  return !listed || !listed[2] || listed[2].includes(role);
}
const STATE_WORDS = { pending: 'Waiting to sync', sending: 'Sending', done: 'Synced',
  quarantined: 'Needs attention' };

export async function render(main) {
  const role = session.staff.role;
  const kinds = kindsOf(role);
  const withPupils = WITH_PUPILS.includes(role);
  // Element.append would write "null" for the sections a role does not get: filter them out.
  main.append(...[h('h1', {}, `Hello, ${session.staff.name}`),
    await concernAlert(session.staff),
    kinds.length ? await workSection() : null,
    kinds.length ? h('nav', { 'aria-labelledby': 'capture-heading' }, h('h2', { id: 'capture-heading' }, 'Capture'),
      h('ul', { class: 'tiles' }, CAPTURE.filter((c) => kinds.includes(c[1])).map(([route, , label]) =>
        h('li', {}, h('a', { class: 'button', href: `#/${route}` }, label))))) : null,
    h('nav', { 'aria-labelledby': 'read-heading' }, h('h2', { id: 'read-heading' }, 'Read (works offline)'),
      h('ul', { class: 'tiles' }, READ.filter(([route]) => allowed(route, role)).map(([route, label]) =>
        h('li', {}, h('a', { class: 'button secondary', href: `#/${route}` }, label))))),
    MANAGE.some(([route]) => allowed(route, role)) ? h('nav', { 'aria-labelledby': 'manage-heading' },
      h('h2', { id: 'manage-heading' }, 'Manage'),
      h('ul', { class: 'tiles' }, MANAGE.filter(([route]) => allowed(route, role)).map(([route, label]) =>
        h('li', {}, h('a', { class: 'button secondary', href: `#/${route}` }, label))))) : null,
    kinds.length ? await recentSection() : null,
    // Pupil lists are individual data: a viewer sees aggregates only.
    withPupils ? await groupsSection() : null, withPupils ? await pupilsSection() : null,
    h('p', { class: 'about' }, h('a', { href: '#/credits' }, 'Picture credits and licences'))].filter(Boolean));
  if (kinds.length) keepFresh(main);
}

/** The work and recent lists follow the outbox as it sends, so they never contradict the header. */
function keepFresh(main) {
  const refresh = async () => {
    if (!main.isConnected) { events.removeEventListener('outbox', refresh); return; }
    const [work, recent] = await Promise.all([workSection(), recentSection()]);
    main.querySelector('#work-section')?.replaceWith(work);
    main.querySelector('#recent-section')?.replaceWith(recent);
  };
  events.addEventListener('outbox', refresh);
}

async function workSection() {
  const { unsynced, quarantined, photos } = await outbox.counts();
  const waiting = unsynced - quarantined;
  return h('section', { class: 'panel', id: 'work-section', 'aria-labelledby': 'work-heading' },
    h('h2', { id: 'work-heading' }, 'Your work on this device'),
    h('p', { id: 'unsynced-summary' }, waiting
      ? `${plural(waiting, 'record')} not yet on the server${photos ? `, including ${plural(photos, 'photo')}` : ''}.`
      : 'Everything you saved has reached the server.'),
    quarantined ? h('p', {}, h('a', { href: '#/quarantine', id: 'attention-link' },
      `${plural(quarantined, 'record')} need${quarantined === 1 ? 's' : ''} your attention: see why and fix`)) : null,
    unsynced ? h('div', { class: 'button-row' },
      h('button', { type: 'button', class: 'button secondary', onclick: async () => {
        const doc = await exportUnsynced();
        announce(`Saved a file with ${plural(doc.ops.length, 'record')} and ${plural(doc.photos.length, 'photo')}.`);
      } }, 'Export my unsynced work')) : null);
}

async function groupsSection() {
  const groups = (await db.getRecords('group')).filter((g) => g.active !== false)
    .sort((a, b) => a.name.localeCompare(b.name));
  return h('section', { 'aria-labelledby': 'groups-heading' }, h('h2', { id: 'groups-heading' }, 'My groups'),
    groups.length ? h('ul', { class: 'list' }, groups.map((g) => h('li', {},
      h('a', { href: `#/group/${g.id}` }, g.name), ` · ${g.sessions_per_week} × ${g.minutes_per_session} minutes a week`
      + ` for ${plural(g.weeks, 'week')}`)))
      : h('p', {}, 'No groups yet.'));
}

/** The SEN register first, then everyone else folded away; one search box for both. */
async function pupilsSection() {
  const pupils = (await db.getRecords('pupil')).sort((a, b) => a.surname.localeCompare(b.surname)
    || a.forename.localeCompare(b.forename));
  const onRegister = pupils.filter((p) => p.sen_provision === 'K' || p.sen_provision === 'E');
  const others = pupils.filter((p) => !onRegister.includes(p));
  const item = (p) => h('li', { dataset: { search: `${personName(p)} ${p.forename} ${p.surname}`.toLowerCase() } },
    h('a', { href: `#/pupil-page/${p.id}` }, personName(p)),
    ` · ${yearWords(p.year_group)}${p.sen_provision ? ` · ${senWords(p.sen_provision)}` : ''}`);
  const registerList = h('ul', { class: 'list', id: 'register-list' }, onRegister.map(item));
  const othersList = h('ul', { class: 'list', id: 'other-pupils' }, others.map(item));
  const othersBox = h('details', { class: 'others' },
    h('summary', { class: 'button secondary' }, `Pupils not on the SEN register (${others.length})`), othersList);
  const none = h('p', { id: 'no-match', hidden: true }, 'No pupil matches that name.');
  const search = input({ type: 'search', id: 'pupil-search', autocomplete: 'off', oninput: () => {
    const term = search.value.trim().toLowerCase();
    let shown = 0;
    for (const li of [...registerList.children, ...othersList.children]) {
      li.hidden = Boolean(term) && !li.dataset.search.includes(term);
      if (!li.hidden) shown += 1;
    }
    if (term && [...othersList.children].some((li) => !li.hidden)) othersBox.open = true;
    none.hidden = shown > 0;
  } });
  if (!pupils.length) {
    return h('section', { 'aria-labelledby': 'pupils-heading' }, h('h2', { id: 'pupils-heading' }, 'My pupils'),
      h('p', {}, 'No pupils yet.'));
  }
  return h('section', { 'aria-labelledby': 'pupils-heading' },
    h('h2', { id: 'pupils-heading' }, `SEN register (${onRegister.length})`),
    field('Find a pupil', search, 'Type part of a name.'),
    onRegister.length ? registerList : h('p', {}, 'Nobody on the SEN register is in your scope.'),
    none, others.length ? othersBox : null);
}

async function recentSection() {
  // A shared tablet: only this user's records, never the last person's.
  const seen = new Set();
  // One line per record: its newest save (a correction replaces the line of what it corrects).
  const ops = (await db.getOps()).filter((r) => r.op.type === 'entry' && r.state !== 'discarded'
    && r.staff_id === session.staff.id)
    .sort((a, b) => b.device_seq - a.device_seq)
    .filter((r) => !seen.has(r.op.entry.entry_id) && seen.add(r.op.entry.entry_id)).slice(0, 10);
  return h('section', { id: 'recent-section', 'aria-labelledby': 'recent-heading' }, h('h2', { id: 'recent-heading' }, 'Recently saved'),
    ops.length ? h('ul', { class: 'list', id: 'recent' }, ops.map((r) => h('li', { dataset: { state: r.state } },
      h('a', { href: `#/record/${encodeURIComponent(r.op.entry.entry_id)}` }, r.summary),
      r.op.entry.deleted ? ' · Withdrawn' : (r.op.entry.base_rev ? ' · Corrected' : ''),
      ' · ', h('span', { class: 'state' }, STATE_WORDS[r.state] || r.state))))
      : h('p', {}, 'Nothing saved yet.'));
}
