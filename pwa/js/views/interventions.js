// The intervention catalogue, "#/interventions": what the school runs, each with its area of
// need, its measure and how many groups run it; the SENCO and admin add and edit entries here
// and start a new group of one. Read from the server, with the last copy kept for offline.
import { asOf, cachedGet } from '../cache.js';
import { appendAll, onlineNote } from '../forms.js';
import { areaWords, measureWords, money } from '../provision-words.js';
import { session } from '../state.js';
import { h } from '../ui.js';
import { plural } from '../words.js';

export const MANAGERS = ['senco', 'admin'];

export async function render(main) {
  appendAll(main, h('h1', {}, 'Intervention catalogue'));
  const [catalogue, groups] = await Promise.all([
    cachedGet('interventions', '/api/v1/interventions/'), cachedGet('groups', '/api/v1/groups/')]);
  if (!catalogue) {
    appendAll(main, h('p', { class: 'panel' }, 'No saved copy yet. Open this page once while online.'), backLinks());
    return;
  }
  const manage = MANAGERS.includes(session.staff.role);
  const running = new Map();
  for (const g of (groups && groups.data) || []) {
    const counts = running.get(g.intervention_id) || { running: 0, ended: 0 };
    counts[g.active ? 'running' : 'ended'] += 1;
    running.set(g.intervention_id, counts);
  }
  appendAll(main, asOf(catalogue), onlineNote() || '',
    manage ? h('div', { class: 'button-row' },
      h('a', { class: 'button', href: '#/intervention-edit/new', id: 'new-intervention' }, 'Add an intervention')) : null,
    catalogue.data.length ? h('ul', { class: 'plain', id: 'intervention-list' },
      catalogue.data.map((i) => item(i, running.get(i.id), manage)))
      : h('p', {}, 'No interventions yet.'),
    backLinks());
}

function item(intervention, counts = { running: 0, ended: 0 }, manage) {
  const cost = intervention.default_hourly_staff_cost_pence
    ? `${money(intervention.default_hourly_staff_cost_pence)} an hour` : null;
  return h('li', { class: 'card' },
    h('h2', {}, intervention.name),
    h('p', {}, `${areaWords(intervention.area_of_need)} · measured by ${measureWords(intervention.measure_type).toLowerCase()}`),
    intervention.entry_criteria ? h('p', {}, h('strong', {}, 'Who it is for: '), intervention.entry_criteria) : null,
    h('p', {}, `${plural(counts.running, 'group')} running, ${counts.ended} ended`, cost ? ` · staff time ${cost}` : ''),
    manage ? h('div', { class: 'button-row' },
      h('a', { class: 'button secondary', href: `#/intervention-edit/${intervention.id}` },
        h('span', {}, 'Edit'), h('span', { class: 'visually-hidden' }, ` ${intervention.name}`)),
      h('a', { class: 'button secondary', href: `#/group-edit/new:${intervention.id}` },
        h('span', {}, 'Start a group'), h('span', { class: 'visually-hidden' }, ` of ${intervention.name}`))) : null);
}

function backLinks() {
  return h('div', { class: 'button-row' },
    h('a', { class: 'button secondary', href: '#/groups' }, 'Interventions and groups'),
    h('a', { class: 'button secondary', href: '#/home' }, 'Back to home'));
}
