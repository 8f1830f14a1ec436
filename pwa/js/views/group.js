// One group, "#/group/<id>": how it runs, who delivers it, what it costs, how it is going
// (sessions delivered, attendance, from the provision map) and each pupil with their entry data,
// target, exit data and outcome. The SENCO and admin enrol pupils, record exits, edit the group
// and end it here; everyone else reads it.
import { cachedGet } from '../cache.js';
import { appendAll, onlineNote } from '../forms.js';
import { areaWords, fundingWords, groupTitle, measureWords, money, scheduleWords } from '../provision-words.js';
import { session } from '../state.js';
import { h, londonToday } from '../ui.js';
import { friendlyDate, plural } from '../words.js';
import { endGroupDialog } from './group-end.js';
import { MANAGERS } from './interventions.js';

const rows = (pairs) => h('dl', { class: 'record-rows' }, pairs.filter(([, v]) => v !== null && v !== '')
  .flatMap(([label, value]) => [h('dt', {}, label), h('dd', {}, value)]));

export async function render(main, ctx) {
  const id = Number(ctx.arg);
  const [group, catalogue, staff, map] = await Promise.all([
    cachedGet(`group:${id}`, `/api/v1/groups/${id}`), cachedGet('interventions', '/api/v1/interventions/'),
    cachedGet('staff', '/api/v1/staff/'), cachedGet('provision-map', '/api/v1/provision-map')]);
  if (!Number.isInteger(id) || !group) {
    appendAll(main, h('h1', {}, 'Group not found'), h('p', { class: 'panel' },
      'This group is not one you can see, or this device has no copy of it. Open it once while online.'),
    h('a', { class: 'button secondary', href: '#/home' }, 'Back to home'));
    return;
  }
  const g = group.data;
  const intervention = ((catalogue && catalogue.data) || []).find((i) => i.id === g.intervention_id) || {};
  const row = ((map && map.data.groups) || []).find((r) => r.group_id === id);
  const manage = MANAGERS.includes(session.staff.role);
  appendAll(main, h('h1', {}, groupTitle(g.name, intervention.name)),
    h('p', { class: 'lead' }, [intervention.name, areaWords(intervention.area_of_need),
      intervention.measure_type ? `measured by ${measureWords(intervention.measure_type).toLowerCase()}` : '']
      .filter(Boolean).join(' · ')),
    statusLine(g), onlineNote() || '',
    h('section', { 'aria-labelledby': 'runs-heading' }, h('h2', { id: 'runs-heading' }, 'How it runs'),
      rows(runRows(g, staff, row))),
    pupilsSection(g, row, manage),
    actions(g, manage, ctx));
}

function statusLine(g) {
  if (!g.active) return h('p', { class: 'panel' }, g.ended_on ? `Ended on ${friendlyDate(g.ended_on)}.` : 'Ended.');
  const overdue = g.review_date && g.review_date < londonToday();
  return h('p', { class: overdue ? 'panel review overdue' : 'panel' }, overdue
    ? [h('span', { class: 'flag' }, h('span', { 'aria-hidden': 'true' }, '▲ '), 'Review overdue: '),
      `it was due on ${friendlyDate(g.review_date)}. Decide whether to continue, change or end it.`]
    : `Running. ${g.review_date ? `Review on ${friendlyDate(g.review_date)}.` : 'No review date set.'}`);
}

function runRows(g, staff, row) {
  const names = new Map(((staff && staff.data) || []).map((s) => [s.id, s.job_title ? `${s.name} (${s.job_title})` : s.name]));
  const [adults, pupils] = g.ratio.split(':');
  return [
    ['When', scheduleWords(g)],
    ['Where', g.location || 'Not given'],
    ['Staff', g.staff_ids.map((s) => names.get(s)).filter(Boolean).join(', ') || 'No staff named'],
    ['Ratio', `${plural(Number(adults), 'adult')} to ${plural(Number(pupils), 'pupil')}`],
    ['Staff cost', `${money(g.hourly_staff_cost_pence)} an hour`],
    ['Resources', money(g.resource_cost_pence)],
    ['Funded from', fundingWords(g.funding_source)],
    ['Sessions', row ? `${row.sessions_delivered} of ${plural(row.sessions_planned, 'session')} ${g.active ? 'planned so far' : 'planned'} delivered`
      + `${row.fidelity_pct === null ? '' : ` (${Math.round(row.fidelity_pct)}%)`}` : null],
    ['Attendance', row && row.attendance_pct !== null ? `${Math.round(row.attendance_pct)}% of places taken` : null],
    ['Progress', row ? row.progress.summary : null],
    ['Cost so far', row ? `${money(row.cost_pence)}${row.cost_per_pupil_pence ? `, ${money(row.cost_per_pupil_pence)} a pupil` : ''}` : null],
  ];
}

function pupilsSection(g, row, manage) {
  const pupils = row && row.pupils ? row.pupils : [];
  const here = pupils.filter((p) => !p.left_on);
  const left = pupils.filter((p) => p.left_on);
  return h('section', { 'aria-labelledby': 'pupils-heading' },
    h('h2', { id: 'pupils-heading' }, `Pupils (${here.length} in the group${left.length ? `, ${left.length} left` : ''})`),
    pupils.length ? h('ul', { class: 'plain', id: 'group-pupils' }, [...here, ...left].map((p) => pupilCard(p, manage, g)))
      : h('p', {}, row ? 'No pupils yet.' : 'Open the provision map once while online to see the pupils here.'));
}

function pupilCard(p, manage, g) {
  const outcome = p.outcome_words ? `${p.outcome_words}${p.outcome ? `: ${p.outcome}` : ''}` : (p.outcome || null);
  const steps = p.steps_moved === null || p.steps_moved === undefined ? '' : ` (${plural(p.steps_moved, 'step')})`;
  return h('li', { class: 'card pupil-place' },
    h('h3', {}, h('a', { class: 'pupil-link', href: `#/pupil-page/${p.pupil_id}` }, p.name)),
    rows([
      ['Joined', friendlyDate(p.joined_on)],
      ['Entry', p.entry || 'Not recorded'],
      ['Target', p.target || 'None written'],
      ['Target review', p.target_review_date ? friendlyDate(p.target_review_date) : null],
      ['Attendance', p.attendance_pct === null ? 'No sessions yet' : `${Math.round(p.attendance_pct)}%`],
      ['Left', p.left_on ? friendlyDate(p.left_on) : null],
      ['Exit', p.exit ? `${p.exit}${steps}` : (p.left_on ? 'Not recorded' : null)],
      ['Outcome', outcome],
    ]),
    manage ? h('a', { class: 'button secondary', href: `#/enrolment/${p.enrolment_id}` },
      p.left_on || !g.active ? 'Edit exit and outcome' : 'Record exit and outcome',
      h('span', { class: 'visually-hidden' }, ` for ${p.name}`)) : null);
}

function actions(g, manage, ctx) {
  const row = h('div', { class: 'button-row' });
  if (manage && g.active) {
    row.append(h('a', { class: 'button', href: `#/enrol/${g.id}`, id: 'enrol' }, 'Enrol a pupil'));
  }
  if (manage) row.append(h('a', { class: 'button secondary', href: `#/group-edit/${g.id}` }, 'Edit group'));
  if (manage && g.active) {
    row.append(h('button', { type: 'button', class: 'button secondary', id: 'end-group',
      onclick: () => endGroupDialog(g, ctx) }, 'End this group'));
  }
  if (!manage) row.append(h('p', { class: 'hint' }, 'Read only: the SENCO sets up and changes groups.'));
  row.append(h('a', { class: 'button secondary', href: manage ? '#/groups' : '#/home' }, manage ? 'All groups' : 'Back to home'));
  return row;
}
