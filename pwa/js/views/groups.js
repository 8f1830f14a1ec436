// Interventions and groups, "#/groups": every group the user may see, running ones first, each
// with its schedule, staff, pupils and review date in words; a review past its date is marked
// with a shape and a word, not colour alone. The SENCO and admin start groups and reach the
// catalogue from here; a TA sees the groups they deliver, to read.
import { asOf, cachedGet } from '../cache.js';
import { appendAll, onlineNote } from '../forms.js';
import { groupTitle, scheduleWords } from '../provision-words.js';
import { session } from '../state.js';
import { h, londonToday } from '../ui.js';
import { friendlyDate, plural } from '../words.js';
import { MANAGERS } from './interventions.js';

export async function render(main) {
  const manage = MANAGERS.includes(session.staff.role);
  appendAll(main, h('h1', {}, manage ? 'Interventions and groups' : 'Groups'));
  const [groups, catalogue, staff, places] = await Promise.all([
    cachedGet('groups', '/api/v1/groups/'), cachedGet('interventions', '/api/v1/interventions/'),
    cachedGet('staff', '/api/v1/staff/'), cachedGet('enrolments', '/api/v1/enrolments/')]);
  if (!groups) {
    appendAll(main, h('p', { class: 'panel' }, 'No saved copy yet. Open this page once while online.'));
    return;
  }
  const names = {
    intervention: new Map(((catalogue && catalogue.data) || []).map((i) => [i.id, i.name])),
    staff: new Map(((staff && staff.data) || []).map((s) => [s.id, s.name])),
    pupils: countPlaces((places && places.data) || []),
  };
  const running = groups.data.filter((g) => g.active);
  const ended = groups.data.filter((g) => !g.active);
  appendAll(main, asOf(groups), onlineNote() || '',
    manage ? h('div', { class: 'button-row' },
      h('a', { class: 'button', href: '#/group-edit/new', id: 'new-group' }, 'Start a new group'),
      h('a', { class: 'button secondary', href: '#/interventions' }, 'Intervention catalogue'),
      h('a', { class: 'button secondary', href: '#/provision' }, 'Provision map')) : null,
    section('running-heading', `Running now (${running.length})`, running, names,
      manage ? 'No groups running. Start one from the catalogue.' : 'You deliver no groups at the moment.'),
    ended.length ? section('ended-heading', `Ended (${ended.length})`, ended, names, '') : null,
    h('div', { class: 'button-row' }, h('a', { class: 'button secondary', href: '#/home' }, 'Back to home')));
}

/** Pupils in each group now (a place not yet ended), or ever for an ended group. */
function countPlaces(enrolments) {
  const counts = new Map();
  for (const e of enrolments) {
    const c = counts.get(e.group_id) || { now: 0, ever: 0 };
    c.ever += 1;
    if (!e.left_on) c.now += 1;
    counts.set(e.group_id, c);
  }
  return counts;
}

function section(id, title, groups, names, empty) {
  return h('section', { 'aria-labelledby': id }, h('h2', { id }, title),
    groups.length ? h('ul', { class: 'plain group-list' }, groups.map((g) => card(g, names)))
      : h('p', {}, empty));
}

function card(group, names) {
  const today = londonToday();
  const overdue = group.active && group.review_date && group.review_date < today;
  const who = group.staff_ids.map((id) => names.staff.get(id)).filter(Boolean).join(', ');
  const count = names.pupils.get(group.id) || { now: 0, ever: 0 };
  return h('li', { class: 'card group-summary' },
    h('h3', {}, h('a', { href: `#/group/${group.id}` }, groupTitle(group.name, names.intervention.get(group.intervention_id)))),
    h('p', {}, scheduleWords(group)),
    h('p', {}, [who ? `With ${who}` : 'No staff named yet', group.location ? ` · ${group.location}` : '',
      ` · ${group.active ? plural(count.now, 'pupil') : `${plural(count.ever, 'pupil')} took part`}`].join('')),
    group.active
      ? h('p', { class: overdue ? 'review overdue' : 'review' },
        overdue ? h('span', { class: 'flag' }, h('span', { 'aria-hidden': 'true' }, '▲ '), 'Review overdue: ') : 'Review: ',
        group.review_date ? friendlyDate(group.review_date) : 'no date set')
      : h('p', {}, group.ended_on ? `Ended on ${friendlyDate(group.ended_on)}` : 'Ended'));
}
