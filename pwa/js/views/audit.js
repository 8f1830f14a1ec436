// The audit log in words, "#/audit" (the SENCO and admin): who did what, when and on which
// device, newest first, filtered by what it was about. "#/audit/concern/<id>" is one safeguarding
// concern's history: each time it was opened, each action recorded, its closing. The log holds
// field names only, never values, so nothing here repeats a pupil's words.
import { request } from '../api.js';
import { cachedGet } from '../cache.js';
import { session } from '../state.js';
import * as db from '../db.js';
import { field, h, personName, select } from '../ui.js';
import { friendlyDateTime } from '../words.js';

const PAGE = 50;
const RESOURCES = [
  ['', 'Everything'], ['concerns', 'Safeguarding concerns'], ['concern_actions', 'Actions on concerns'],
  ['passports', 'Passports read or printed'], ['passport_fields', 'Passport fields'],
  ['passport_suggestion_decisions', 'Passport suggestions used or dismissed'],
  ['passport_conflicts', 'Passport conflicts'], ['review_decisions', 'Review prompts dealt with'],
  ['entries', 'Records (session, voice, conversations, walks)'], ['staff', 'Staff accounts and logins'],
  ['pupils', 'Pupils'], ['groups', 'Groups'], ['enrolments', 'Enrolments'],
];
const NOUNS = { concerns: 'a safeguarding concern', concern_actions: 'an action on a safeguarding concern',
  passports: 'a passport', passport_fields: 'a passport field', passport_field_versions: 'a passport field’s history',
  passport_conflicts: 'a passport conflict', passport_suggestion_decisions: 'a passport suggestion',
  review_decisions: 'a review prompt', entries: 'a record', staff: 'a staff account', pupils: 'a pupil',
  groups: 'a group', enrolments: 'an enrolment', interventions: 'an intervention', templates: 'a school form',
  terms: 'a term', classes: 'a class', attachments: 'a photo', sync_pull: 'records sent to a device' };
const PHRASES = {
  'create:concern_actions': 'Recorded an action on a safeguarding concern',
  'create:review_decisions': 'Marked a review prompt done, snoozed or not needed',
  'update:review_decisions': 'Changed what was decided about a review prompt',
  'delete:review_decisions': 'Undid a decision on a review prompt',
  'create:passport_suggestion_decisions': 'Used or dismissed a passport suggestion',
  'update:passport_suggestion_decisions': 'Used or dismissed a passport suggestion',
  'delete:passport_suggestion_decisions': 'Brought back a dismissed passport suggestion',
  'login:staff': 'Logged in', 'logout:staff': 'Logged out',
  'read:sync_pull': 'Synced: records sent to a device', 'read:entries': 'Opened a record',
};
const VERBS = { create: 'Created', update: 'Changed', delete: 'Removed', read: 'Opened', export: 'Exported',
  print: 'Printed', login: 'Logged in', logout: 'Logged out' };
const humane = (code) => String(code).replace(/_/g, ' ');
// Field names as people say them; bookkeeping that always travels with another change is left out.
const FIELD_WORDS = { handled_by: 'who handled it', handled_at: null, status: 'open or closed', notes: 'closing note',
  raised_at: 'when it was raised', rev: null, edited_by: 'who changed it', edited_at: null, value: 'words' };
const fieldWords = (name) => (name in FIELD_WORDS ? FIELD_WORDS[name] : humane(name));

/** One event as a sentence: "Changed a safeguarding concern (status, notes)". pupils: id -> name,
 * so a passport or a pupil is named where this device knows them. */
export function eventWords(e, pupils = new Map()) {
  const key = `${e.action}:${e.resource}`;
  if (PHRASES[key]) return PHRASES[key];
  const pupil = ['passports', 'pupils'].includes(e.resource) ? pupils.get(Number(e.resource_id)) : null;
  const noun = pupil ? (e.resource === 'passports' ? `${pupil}’s passport` : pupil) : (NOUNS[e.resource] || humane(e.resource));
  if (pupil && e.action === 'read' && e.detail && e.detail.view === 'print') return `Printed ${noun}`;
  if (e.action === 'read' && e.resource === 'concerns') return e.resource_id ? 'Opened a safeguarding concern' : 'Opened the list of safeguarding concerns';
  if (e.action === 'read' && e.resource === 'passports' && e.detail && e.detail.view === 'print') return 'Printed a passport';
  const named = e.detail && Array.isArray(e.detail.fields) ? e.detail.fields.map(fieldWords).filter(Boolean) : [];
  const fields = named.length ? ` (${named.join(', ')})` : '';
  return `${VERBS[e.action] || humane(e.action)} ${noun}${fields}`;
}

// Where an event's record can be opened in the app.
function linkFor(e) {
  if (!e.resource_id) return null;
  if (e.resource === 'concerns') return [`#/concern/${e.resource_id}`, 'Open the concern'];
  if (e.resource === 'passports') return [`#/passport/${e.resource_id}`, 'Open the passport'];
  if (e.resource === 'pupils') return [`#/pupil-page/${e.resource_id}`, 'Open the pupil’s page'];
  if (e.resource === 'groups') return [`#/group/${e.resource_id}`, 'Open the group'];
  return null;
}

const REPEAT_MS = 15 * 60 * 1000;
const sameKind = (a, b) => a.actor_id === b.actor_id && a.action === b.action && a.resource === b.resource
  && a.resource_id === b.resource_id && JSON.stringify(a.detail) === JSON.stringify(b.detail)
  && Math.abs(new Date(a.at) - new Date(b.at)) < REPEAT_MS;

/** Runs of the same event by the same person within a quarter of an hour, as one line each
 * (opening a concern, then answering it, reads it each time): [{event, times}], newest first. */
export function runs(events) {
  const found = [];
  for (const e of events) {
    const last = found[found.length - 1];
    if (last && sameKind(last.last, e)) { last.times += 1; last.last = e; } else found.push({ event: e, last: e, times: 1 });
  }
  return found;
}

function row({ event: e, times }, names, withLinks = true, pupils = new Map()) {
  const who = e.actor_id ? (names.get(e.actor_id) || 'A member of staff') : 'The system';
  const where = !e.device_id ? '' : (e.device_id === session.deviceId ? ' · on this device' : ' · on another device');
  const link = withLinks ? linkFor(e) : null;
  return h('li', { class: 'audit-event' }, h('p', { class: 'what' }, eventWords(e, pupils), times > 1 ? ` · ${times} times` : ''),
    h('p', { class: 'hint' }, `${who} · ${friendlyDateTime(e.at)}${where}`),
    link ? h('a', { href: link[0], class: 'audit-link' }, link[1]) : null);
}

async function concernTrail(main, id, names) {
  let concern;
  try {
    concern = await request('GET', `/api/v1/concerns/${encodeURIComponent(id)}`);
  } catch (err) {
    main.append(h('h1', {}, 'Audit log'), h('p', { class: 'panel' }, `That concern could not be found: ${err.message}`));
    return;
  }
  const asks = [`/api/v1/audit/?resource=concerns&resource_id=${concern.id}`,
    ...concern.actions.map((a) => `/api/v1/audit/?resource=concern_actions&resource_id=${a.id}`)];
  const pages = await Promise.all(asks.map((path) => request('GET', path)));
  const events = pages.flat().sort((a, b) => b.id - a.id);
  main.append(h('h1', {}, `History of the concern about ${concern.pupil_name}`),
    h('p', { class: 'hint' }, 'Each time it was opened, each action recorded and each change, newest first.'),
    h('ol', { class: 'plain audit-list', id: 'audit-list' }, runs(events).map((r) => row(r, names, false))),
    h('div', { class: 'button-row' }, h('a', { class: 'button secondary', href: `#/concern/${concern.id}` }, 'Back to the concern'),
      h('a', { class: 'button secondary', href: '#/audit' }, 'The whole audit log')));
}

export async function render(main, ctx) {
  main.classList.add('casework');
  if (!navigator.onLine) {
    main.append(h('h1', {}, 'Audit log'), h('p', { class: 'panel notice' }, 'The audit log is read online only.'),
      h('a', { class: 'button secondary', href: '#/home' }, 'Back to home'));
    return;
  }
  const staff = await cachedGet('staff', '/api/v1/staff/');
  const names = new Map(((staff && staff.data) || []).map((s) => [s.id, s.name]));
  const pupils = new Map((await db.getRecords('pupil')).map((p) => [p.id, personName(p)]));
  const [kind, id] = String(ctx.arg || '').split('/');
  if (kind === 'concern' && id) { await concernTrail(main, id, names); return; }
  const list = h('ol', { class: 'plain audit-list', id: 'audit-list' });
  const more = h('button', { type: 'button', class: 'button secondary', id: 'audit-more', hidden: true }, 'Show older');
  const picker = select({ id: 'audit-resource' }, RESOURCES, '');
  let oldest = null;
  const load = async (fresh) => {
    if (fresh) { list.replaceChildren(); oldest = null; }
    const query = new URLSearchParams({ limit: String(PAGE) });
    if (picker.value) query.set('resource', picker.value);
    if (oldest) query.set('before_id', String(oldest));
    let events = [];
    try { events = await request('GET', `/api/v1/audit/?${query}`); } catch (err) {
      list.append(h('li', { class: 'panel notice' }, `The log could not be loaded: ${err.message}`));
    }
    list.append(...runs(events).map((r) => row(r, names, true, pupils)));
    if (events.length) oldest = events[events.length - 1].id;
    more.hidden = events.length < PAGE;
    if (fresh && !events.length) list.append(h('li', { class: 'panel' }, 'Nothing recorded of this kind.'));
  };
  picker.addEventListener('change', () => load(true));
  more.addEventListener('click', () => load(false));
  main.append(h('h1', {}, 'Audit log'),
    h('p', { class: 'hint' }, 'Every change, every export and every time a passport, conversation or concern is opened. Newest first.'),
    field('What it was about', picker), list, more,
    h('div', { class: 'button-row' }, h('a', { class: 'button secondary', href: '#/home' }, 'Back to home')));
  await load(true);
}
