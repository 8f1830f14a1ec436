// "#/data-access": who read or exported which pupil's data, for the SENCO and designated
// safeguarding leads, and who named or stood down each safeguarding lead (every DSL sees every
// designation). Online only: the log lives on the server (GET /api/v1/audit/pupil-data and
// /audit/designations). Pupils are named from what this device pulled; staff by the server.
import * as db from '../db.js';
import { get } from '../api.js';
import { field, h, input, personName, select } from '../ui.js';
import { friendlyDateTime, plural } from '../words.js';

const PAGE = 50;
const WHAT = [['', 'Anything'], ['read', 'Read or printed'], ['export', 'Exported (subject access)'],
  ['pupil_mode', 'Pupil mode'], ['removed', 'Purged or erased']];

/** One event in words: "Home Teacher printed Ava Smith's passport". */
export function describe(event, pupilName) {
  const who = event.actor_name || (event.actor_id ? 'A member of staff' : 'The system');
  const pupil = (id) => pupilName(Number(id));
  const view = event.detail && event.detail.view;
  const printed = view === 'print';
  if (event.resource === 'passports') return `${who} ${printed ? 'printed' : 'read'} ${pupil(event.resource_id)}’s passport`;
  if (event.resource === 'entries') {
    if (event.action === 'erase') return `${who} erased a record and its photos`;
    return `${who} ${printed ? 'printed' : 'read'} a record${event.detail && event.detail.conversations
      && event.detail.conversations.length ? ' of a conversation with parents' : ''}`;
  }
  const about = pupil(event.resource_id);
  switch (event.action) {
    case 'export': return `${who} exported everything held about ${about}`;
    case 'pupil_mode_start': return `${who} handed a tablet to ${about} (pupil mode)`;
    case 'pupil_mode_end': return `${who} left pupil mode with ${about}`;
    case 'purge': return `${about}’s records were purged at the end of their retention period`;
    default: return `${who}: ${event.action} (${about})`;
  }
}

export async function render(main) {
  const pupils = await db.getRecords('pupil');
  const byId = new Map(pupils.map((p) => [p.id, p]));
  const pupilName = (id) => (byId.has(id) ? personName(byId.get(id)) : `pupil ${id}`);
  main.append(h('h1', {}, 'Who saw pupils’ data'));
  if (!navigator.onLine) {
    main.append(h('p', { class: 'panel' }, 'The log is kept on the server: connect to the internet to see it.'));
    return;
  }
  main.append(await leadsSection(), await accessSection(pupils, pupilName));
}

async function leadsSection() {
  const section = h('section', { class: 'panel', 'aria-labelledby': 'leads-heading' },
    h('h2', { id: 'leads-heading' }, 'Designated safeguarding leads'));
  try {
    const { current, changes } = await get('/api/v1/audit/designations');
    section.append(h('p', {}, current.length ? `Now: ${current.map((s) => s.name).join(', ')}.` : 'Nobody is a safeguarding lead.'),
      changes.length ? h('ul', { class: 'list', id: 'designations' }, changes.map((c) => h('li', {},
        `${friendlyDateTime(c.at)}: ${c.by_name || 'Someone'} ${c.is_dsl ? 'named' : 'stood down'} `
        + `${c.staff_name || 'a member of staff'} as a safeguarding lead.`)))
        : h('p', {}, 'No one has been named or stood down in the app yet.'));
  } catch (err) {
    section.append(h('p', { role: 'alert' }, err.message));
  }
  return section;
}

async function accessSection(pupils, pupilName) {
  const sorted = [...pupils].sort((a, b) => a.surname.localeCompare(b.surname) || a.forename.localeCompare(b.forename));
  const pupil = select({ id: 'access-pupil', name: 'pupil_id' },
    [['', 'Any pupil'], ...sorted.map((p) => [String(p.id), personName(p)])], '');
  const what = select({ id: 'access-what', name: 'action' }, WHAT, '');
  const since = input({ type: 'date', id: 'access-since', name: 'since' });
  const until = input({ type: 'date', id: 'access-until', name: 'until' });
  const results = h('div', { id: 'access-results', 'aria-live': 'polite' });
  let last = null;
  async function load(more) {
    const query = new URLSearchParams({ limit: String(PAGE) });
    for (const [key, control] of [['pupil_id', pupil], ['action', what], ['since', since], ['until', until]]) {
      if (control.value) query.set(key, control.value);
    }
    if (more && last) query.set('before_id', String(last));
    let events;
    try {
      events = await get(`/api/v1/audit/pupil-data?${query}`);
    } catch (err) {
      results.replaceChildren(h('p', { role: 'alert' }, err.message));
      return;
    }
    last = events.length ? events[events.length - 1].id : last;
    const items = events.map((e) => h('li', {}, h('time', { datetime: e.at }, friendlyDateTime(e.at)), ' · ',
      describe(e, pupilName), e.device_id ? h('span', { class: 'hint' }, ` (device ${e.device_id.slice(0, 12)})`) : null));
    const list = more ? results.querySelector('ul') : null;
    if (list) list.append(...items);
    else {
      results.replaceChildren(items.length ? h('ul', { class: 'list', id: 'access-list' }, items)
        : h('p', {}, 'Nothing matches.'));
    }
    results.querySelector('.more')?.remove();
    if (events.length === PAGE) {
      results.append(h('button', { type: 'button', class: 'button secondary more', onclick: () => load(true) },
        `Show ${plural(PAGE, 'older event')}`));
    }
  }
  const form = h('form', { class: 'filters', onsubmit: (e) => { e.preventDefault(); load(false); } },
    field('Pupil', pupil), field('What was done', what), field('From', since), field('To', until),
    h('button', { type: 'submit', class: 'button' }, 'Show'));
  await load(false);
  return h('section', { 'aria-labelledby': 'access-heading' },
    h('h2', { id: 'access-heading' }, 'Reads and exports of pupils’ data'),
    h('p', {}, 'Every read of a passport, every printed or exported record, and every time a tablet was handed to a pupil.'),
    form, results);
}
