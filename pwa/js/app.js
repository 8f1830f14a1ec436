// The app shell: start-up from IndexedDB (so it works offline across restarts), the hash router,
// the always-visible sync status, log-out, and the export escape hatch.
import * as db from './db.js';
import * as api from './api.js';
import * as outbox from './outbox.js';
import * as grant from './pupil-grant.js';
import { pullAll } from './sync.js';
import { events, session, worksInSchool } from './state.js';
import { registerServiceWorker } from './sw-bridge.js';
import { announce, h } from './ui.js';
import { exportUnsynced } from './export.js';
import { plural } from './words.js';
import * as login from './views/login.js';
import * as home from './views/home.js';
import * as sessionRecord from './views/session.js';
import * as voice from './views/voice.js';
import * as conversation from './views/conversation.js';
import * as walk from './views/walk.js';
import * as quarantine from './views/quarantine.js';
import * as record from './views/record.js';
import * as mis from './views/mis.js';
import * as pupil from './views/pupil.js';
import * as pupilPage from './views/pupil-page.js';
import * as passport from './views/passport.js';
import * as provision from './views/provision.js';
import * as groups from './views/groups.js';
import * as group from './views/group.js';
import * as groupEdit from './views/group-edit.js';
import * as enrol from './views/enrol.js';
import * as enrolment from './views/enrolment.js';
import * as interventions from './views/interventions.js';
import * as interventionEdit from './views/intervention-edit.js';
import * as reviews from './views/reviews.js';
import * as concerns from './views/concerns.js';
import * as concern from './views/concern.js';
import * as audit from './views/audit.js';
import * as status from './views/status.js';
import * as credits from './views/credits.js';
import * as dataAccess from './views/data-access.js';
import * as security from './views/security.js';
import * as staff from './views/staff.js';
import * as staffEdit from './views/staff-edit.js';
import * as terms from './views/terms.js';
import * as password from './views/password.js';
import * as forms from './views/forms.js';
import * as formEdit from './views/form-edit.js';
import * as formView from './views/form.js';
import * as trust from './views/trust.js';

const ROUTES = { login, home, session: sessionRecord, voice, conversation, walk, quarantine, pupil,
  passport, provision, reviews, status, credits, record, 'pupil-page': pupilPage, mis };
// Privacy (issue 15): who read or exported pupils' data, and who names safeguarding leads.
Object.assign(ROUTES, { 'data-access': dataAccess, security });
// Safeguarding concerns and the audit log (issue 14).
Object.assign(ROUTES, { concerns, concern, audit });
// The SENCO's workspace: interventions, groups and enrolments (issue 14).
Object.assign(ROUTES, { groups, group, 'group-edit': groupEdit, enrol, enrolment,
  interventions, 'intervention-edit': interventionEdit });
ROUTES.staff = staff;
ROUTES['staff-edit'] = staffEdit;
ROUTES.terms = terms;
ROUTES.password = password;
ROUTES.forms = forms;
ROUTES['form-edit'] = formEdit;
ROUTES.form = formView;
ROUTES.trust = trust;  // a trust's or LA's officer: their one screen (issue 16)
// Open without a login: the licence credits are public.
const PUBLIC = new Set(['login', 'credits']);
const main = document.getElementById('main');

let routeToken = 0;

/** Go to a view, e.g. go('home') or go('pupil-page', 42). */
export const go = (name, arg) => {
  const hash = arg === undefined || arg === null ? `#/${name}` : `#/${name}/${encodeURIComponent(arg)}`;
  if (location.hash === hash) route(); else location.hash = hash;
};

async function deviceId() {
  let id = await db.getMeta('device_id');
  if (!id) {
    id = `pwa-${crypto.randomUUID()}`;
    await db.setMeta('device_id', id);
  }
  return id;
}

/** Render the view named in the hash; no session means the login screen. */
async function route() {
  // "#/pupil-page/42": the first part names the view, the rest is its argument.
  const [first, ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  let name = first || 'home';
  const arg = rest.length ? decodeURIComponent(rest.join('/')) : null;
  if (!ROUTES[name]) name = 'home';
  if (!session.staff && !PUBLIC.has(name)) name = 'login';
  // A temporary password from the office: the server allows nothing else until it is changed.
  if (session.staff && session.staff.must_change_password && !PUBLIC.has(name)) name = 'password';
  // A typed address to a screen this role cannot use goes home (the server refuses it anyway).
  if (session.staff && !home.allowed(name, session.staff.role)) {
    name = home.homeFor(session.staff.role);
    history.replaceState(null, '', `#/${name}`);
  }
  // The school requires a second step at login and this person has none yet: set it up first.
  if (session.staff && session.secondFactorPending && !PUBLIC.has(name)) name = 'security';
  // Pupil mode is locked: any other address (typed, back button, a stray link) goes back to it.
  if (pupil.isLocked() && name !== 'pupil') {
    history.replaceState({ pupilMode: true }, '', '#/pupil');
    name = 'pupil';
  }
  // Render off-screen and swap in only if no newer navigation started meanwhile.
  const token = ++routeToken;
  const view = document.createElement('div');
  view.className = `view view-${name}`;
  await ROUTES[name].render(view, { go, syncNow, arg });
  if (token !== routeToken) return;
  // The header settles before the screen goes in, so nothing moves under a finger (layout
  // shift: bench/pwa.py).
  await updateHeader();
  if (token !== routeToken) return;
  document.body.dataset.view = name;
  main.replaceChildren(view);
  // A new screen starts at its top: after a save the home screen must not open mid-list.
  window.scrollTo(0, 0);
  const heading = main.querySelector('h1');
  if (heading) { heading.tabIndex = -1; heading.focus({ preventScroll: true }); }
  document.title = `${heading ? heading.textContent : 'SEND evidence'} · SEND evidence`;
}

/** Send the outbox, then pull. Offline this just leaves everything queued. */
export async function syncNow() {
  if (session.staff && !worksInSchool(session.staff.role)) return;  // nothing of theirs to sync
  await outbox.sync({ force: true });
  // In pupil mode the server refuses a pull: the staff session is suspended.
  if (!navigator.onLine || session.authNeeded || !session.staff || pupil.isLocked()) return;
  try {
    await pullAll();
  } catch (err) {
    if (err.kind === 'auth') markAuthNeeded();
  }
}

function markAuthNeeded() {
  session.authNeeded = true;
  events.dispatchEvent(new Event('auth-needed'));
}

/** Online at start-up: check the session is still alive and pick up a fresh CSRF token. */
async function refresh() {
  if (pupil.isLocked()) { outbox.sync(); return; }  // only the pupil's answers may go
  try {
    const me = await api.get('/api/v1/me');
    await grant.keep(me);
    session.secondFactorPending = Boolean(me.second_factor && me.second_factor.pending);
    api.setCsrf(me.csrf_token);
    await db.setMeta('session', { staff: me.staff, school: me.school, csrf_token: me.csrf_token });
    session.authNeeded = false;
    await syncNow();
  } catch (err) {
    if (err.kind === 'auth') markAuthNeeded();
  }
}

/**
 * One truthful status: what is waiting to go, what needs the user, and why it is not moving.
 * "All synced" only when nothing is waiting or refused; "Sending…" only while a pass runs.
 */
let headerToken = 0;

async function updateHeader() {
  // Events come in bursts and counting is async: only the newest count may paint, or an older,
  // slower one would bring back a number that is no longer true.
  const token = ++headerToken;
  const { unsynced, quarantined } = await outbox.counts();
  if (token !== headerToken) return;
  const waiting = unsynced - quarantined;
  const badge = document.getElementById('unsynced');
  const inSchool = Boolean(session.staff) && worksInSchool(session.staff.role);
  badge.hidden = !inSchool || (waiting === 0 && quarantined > 0);
  badge.textContent = waiting ? `${waiting} not synced` : 'All synced';
  badge.classList.toggle('has-work', waiting > 0);
  const attention = document.getElementById('attention');
  attention.hidden = quarantined === 0;
  attention.textContent = `${quarantined} need${quarantined === 1 ? 's' : ''} attention`;
  const status = document.getElementById('sync-status');
  if (session.authNeeded && session.staff) {
    status.replaceChildren(h('a', { href: '#/login', id: 'login-again' },
      'Session ended: log in again to send your work'));
  } else if (!navigator.onLine) {
    status.textContent = waiting ? 'Offline: saved on this device' : 'Offline';
  } else {
    status.textContent = outbox.busy() && waiting ? 'Sending…' : (waiting ? session.syncStatus : '');
  }
  // A trust's officer is kept at one school but works for none: their school is not theirs.
  document.getElementById('who').textContent = session.staff
    ? `${session.staff.name}${inSchool && session.school ? ` · ${session.school.name}` : ''}` : '';
  document.getElementById('sync-now').hidden = !inSchool;
  document.getElementById('logout').hidden = !session.staff;
}

/** Log out; with unsynced work, ask first and say that the work stays on this device. */
async function logout() {
  const { unsynced } = await outbox.counts();
  if (unsynced) {
    const dialog = document.getElementById('logout-dialog');
    dialog.querySelector('.count').textContent = plural(unsynced, 'record');
    dialog.showModal();
    const choice = await new Promise((resolve) => dialog.addEventListener('close',
      () => resolve(dialog.returnValue), { once: true }));
    if (choice === 'export') await exportUnsynced();
    if (choice !== 'logout' && choice !== 'export') return;
  }
  try { await api.post('/api/v1/auth/logout'); } catch { /* offline: the cookie expires anyway */ }
  await db.deleteMeta('session');
  await db.clearRecords();
  session.staff = null;
  session.school = null;
  announce('Logged out. Unsynced work is kept on this device for your next login.');
  go('login');
}

function wireHeader() {
  document.getElementById('sync-now').addEventListener('click', async () => {
    announce('Syncing…');
    await syncNow();
    const { unsynced, quarantined } = await outbox.counts();
    const waiting = unsynced - quarantined;
    if (waiting) announce(`${plural(waiting, 'record')} still waiting to sync.`);
    else if (quarantined) announce(`Sent. ${plural(quarantined, 'record')} need${quarantined === 1 ? 's' : ''} your attention.`, 'warn');
    else announce('Everything is synced.');
  });
  document.getElementById('logout').addEventListener('click', logout);
  for (const name of ['outbox', 'status', 'auth-needed', 'records']) {
    events.addEventListener(name, updateHeader);
  }
  events.addEventListener('auth-needed', () => announce(
    'Your session has ended. Log in again to send your work; nothing has been lost.', 'warn'));
  window.addEventListener('online', updateHeader);
  window.addEventListener('offline', updateHeader);
}

async function boot() {
  session.deviceId = await deviceId();
  api.setDeviceId(session.deviceId);
  const saved = await db.getMeta('session');
  if (saved) {
    Object.assign(session, { staff: saved.staff, school: saved.school });
    api.setCsrf(saved.csrf_token);
  }
  await outbox.recover();
  wireHeader();
  if (saved) await pupil.restore();
  window.addEventListener('hashchange', route);
  await route();
  outbox.start();
  // Ask the browser not to evict our data under storage pressure (iPad caveat in the design).
  if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => {});
  registerServiceWorker();
  if (saved && navigator.onLine) refresh();
  document.body.dataset.ready = 'true';
  performance.mark('app-ready');  // read by bench/pwa.py
}

export { route };
boot();
