// Safeguarding concerns, "#/concerns": the SENCO's and DSLs' list, open ones first and newest
// first, each with the pupil's name, what raised it in words, when, and how long it has waited.
// Read online only: a shared tablet keeps no copy of safeguarding content, and every list read
// is audited on the server.
import { request } from '../api.js';
import { choices, h } from '../ui.js';
import { friendlyDateTime, plural, yearWords } from '../words.js';

let showing = 'open';
const KIND_WORDS = { pupil_voice: 'pupil voice', session_record: 'a session record',
  conversation: 'a conversation with parents', learning_walk: 'a learning walk' };
const HOUR = 3600 * 1000;

/** "Open for 3 days", "Open for 5 hours"; long waits are flagged in words and a shape. */
export function waited(raisedAt, now = Date.now()) {
  const hours = Math.max(0, Math.floor((now - new Date(raisedAt).getTime()) / HOUR));
  return { overDay: hours >= 24,
    words: hours >= 24 ? `Open for ${plural(Math.floor(hours / 24), 'day')}` : `Open for ${plural(hours, 'hour')}` };
}

export const sourceWords = (c) => `${c.entry_kind === 'pupil_voice' ? 'From pupil voice' : `Flagged on ${KIND_WORDS[c.entry_kind] || 'a record'}`}${c.recorded_by ? ` recorded by ${c.recorded_by}` : ''}`;

export function statusBadge(c) {
  return c.status === 'open'
    ? h('span', { class: 'state-badge concern-open' }, h('span', { 'aria-hidden': 'true' }, '■ '), 'Open')
    : h('span', { class: 'state-badge concern-closed' }, h('span', { 'aria-hidden': 'true' }, '✓ '), 'Closed');
}

function item(c) {
  const wait = c.status === 'open' ? waited(c.raised_at) : null;
  return h('li', { class: `card concern-item${wait && wait.overDay ? ' waiting' : ''}` },
    h('h2', {}, h('a', { href: `#/concern/${c.id}` }, c.pupil_name),
      c.year_group ? h('span', { class: 'muted' }, ` · ${yearWords(c.year_group)}`) : null),
    h('p', { class: 'concern-meta' }, statusBadge(c),
      wait ? h('span', { class: `waited${wait.overDay ? ' long' : ''}` },
        wait.overDay ? h('span', { 'aria-hidden': 'true' }, '▲ ') : null, wait.words) : null),
    h('p', { class: 'headline' }, c.headline),
    h('p', { class: 'hint' }, `Raised ${friendlyDateTime(c.raised_at)} · ${sourceWords(c)} · `,
      c.actions.length ? plural(c.actions.length, 'action') + ' recorded' : 'No action recorded yet'));
}

export async function render(main) {
  main.classList.add('casework');
  main.append(h('h1', {}, 'Safeguarding concerns'),
    h('p', { class: 'hint' }, 'Only the SENCO and designated safeguarding leads see these. Every time they are opened is recorded in the audit log.'));
  if (!navigator.onLine) {
    main.append(h('p', { class: 'panel notice' }, 'Concerns are shown only online, so nothing about them is kept on this device.'),
      h('a', { class: 'button secondary', href: '#/home' }, 'Back to home'));
    return;
  }
  const list = h('div', { id: 'concern-list', 'aria-live': 'polite' });
  const load = async () => {
    list.replaceChildren(h('p', {}, 'Loading…'));
    let concerns;
    try {
      concerns = await request('GET', `/api/v1/concerns/${showing === 'open' ? '?status=open' : ''}`);
    } catch (err) {
      list.replaceChildren(h('p', { class: 'panel notice' }, `The concerns could not be loaded: ${err.message}`));
      return;
    }
    list.replaceChildren(concerns.length ? h('ul', { class: 'plain' }, concerns.map(item))
      : h('p', { class: 'panel' }, showing === 'open' ? 'No open concerns.' : 'No concerns have been raised.'));
  };
  main.append(choices('Show', 'concern-filter', [{ value: 'open', label: 'Open concerns' }, { value: 'all', label: 'All concerns' }],
    showing, (value) => { showing = value; load(); }), list,
  h('div', { class: 'button-row' }, h('a', { class: 'button secondary', href: '#/home' }, 'Back to home')));
  await load();
}
