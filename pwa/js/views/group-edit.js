// Start or edit a group, "#/group-edit/new", "#/group-edit/new:<intervention id>" or
// "#/group-edit/<group id>": which intervention, who delivers it, on which days, for how long,
// where, at what ratio and cost, and who pays. A new group starts from the intervention's cost
// basis; the review date follows the block's last week until the user sets it.
import { cachedGet } from '../cache.js';
import { appendAll, dateProblem, formField, formGroup, moneyProblem, numberProblem, onlineNote, pence,
  pounds, send, serverFormProblems, showFormProblems, textProblem } from '../forms.js';
import { DAY_CODES, RULES, WORDS } from '../provision-words.js';
import { session } from '../state.js';
import { announce, h, input, londonToday, saveOnce, select, text } from '../ui.js';
import { MANAGERS } from './interventions.js';

const FIELDS = RULES.group.fields;
const LABELS = {
  intervention_id: 'Intervention', name: 'Group name', days: 'Days it runs', sessions_per_week: 'Days it runs',
  minutes_per_session: 'Minutes a session', weeks: 'Weeks', start_date: 'First week starts',
  review_date: 'Review date', location: 'Where', ratio: 'Staff to pupils', staff_ids: 'Staff',
  hourly_staff_cost_pence: 'Staff cost an hour', resource_cost_pence: 'Resources', funding_source: 'Funded from',
};
// TAs deliver most groups: they come first in the list of staff.
const DELIVERERS = ['ta', 'teacher', 'senco'];
const DAY_MS = 86400000;
const addDays = (iso, n) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
const weekday = (iso) => new Date(`${iso}T00:00:00Z`).getUTCDay();  // 0 Sunday .. 6 Saturday

/** The coming Monday (today, if it is one): blocks start at the start of a week. */
function nextMonday() {
  const today = londonToday();
  return addDays(today, (8 - weekday(today)) % 7);
}

/** The Friday of the block's last teaching week: weeks with no term day in them (holidays) do
 * not count, and weeks after the last term entered do, as the provision map counts them
 * (sync/provision_figures.py teaching_weeks). */
export function blockEnd(start, weeks, terms) {
  const known = terms.reduce((last, t) => (t.ends_on > last ? t.ends_on : last), '');
  const inTerm = (first) => first > known
    || terms.some((t) => t.starts_on <= addDays(first, 6) && first <= t.ends_on);
  const useTerms = terms.some((t) => t.ends_on >= start);
  let first = start;
  let counted = 0;
  for (let guard = 0; guard < 104; guard += 1) {
    if (!useTerms || inTerm(first)) counted += 1;
    if (counted === weeks) break;
    first = addDays(first, 7);
  }
  let end = addDays(first, 6);
  while (weekday(end) === 0 || weekday(end) === 6) end = addDays(end, -1);
  return end;
}

export async function render(main, ctx) {
  const arg = ctx.arg || 'new';
  const isNew = arg.startsWith('new');
  appendAll(main, h('h1', {}, isNew ? 'Start a new group' : 'Edit a group'));
  if (!MANAGERS.includes(session.staff.role)) {
    appendAll(main, h('p', { class: 'panel' }, 'Only the SENCO or an admin sets up groups.'),
      h('a', { class: 'button secondary', href: '#/home' }, 'Back to home'));
    return;
  }
  const [catalogue, staff, terms, saved] = await Promise.all([
    cachedGet('interventions', '/api/v1/interventions/'), cachedGet('staff', '/api/v1/staff/'),
    cachedGet('terms', '/api/v1/terms/'),
    isNew ? null : cachedGet(`group:${arg}`, `/api/v1/groups/${encodeURIComponent(arg)}`)]);
  if (!catalogue || (!isNew && !saved)) {
    appendAll(main, h('p', { class: 'panel' }, 'This needs a connection the first time. Try again when online.'),
      h('a', { class: 'button secondary', href: '#/groups' }, 'Interventions and groups'));
    return;
  }
  const chosen = isNew && arg.includes(':') ? Number(arg.split(':')[1]) : null;
  const people = ((staff && staff.data) || []).filter((s) => s.active !== false && DELIVERERS.includes(s.role))
    .sort((a, b) => DELIVERERS.indexOf(a.role) - DELIVERERS.indexOf(b.role) || a.name.localeCompare(b.name));
  appendAll(main, onlineNote() || '', groupForm({ group: saved ? saved.data : null, interventions: catalogue.data,
    staff: people, terms: (terms && terms.data) || [], chosen, ctx }));
}

function checkbox(name, value, label, isChecked) {
  return h('label', { class: 'choice' }, h('input', { type: 'checkbox', name, value: String(value), checked: isChecked }),
    h('span', { class: 'choice-face' }, h('span', { class: 'word' }, label)));
}

const picked = (root, name) => [...root.querySelectorAll(`input[name="${name}"]:checked`)].map((el) => el.value);

function groupForm({ group, interventions, staff, terms, chosen, ctx }) {
  const g = group || { start_date: nextMonday(), weeks: 10, minutes_per_session: 30, ratio: '1:4', days: [],
    staff_ids: [], funding_source: 'notional_sen', intervention_id: chosen };
  const c = {
    intervention_id: select({ name: 'intervention_id', disabled: Boolean(group) },
      [['', 'Choose an intervention'], ...interventions.map((i) => [i.id, i.name])], g.intervention_id || ''),
    name: input({ name: 'name', value: g.name || '', autocomplete: 'off' }),
    minutes_per_session: input({ type: 'number', name: 'minutes_per_session', inputmode: 'numeric', value: g.minutes_per_session ?? '' }),
    weeks: input({ type: 'number', name: 'weeks', inputmode: 'numeric', value: g.weeks ?? '' }),
    start_date: input({ type: 'date', name: 'start_date', value: g.start_date || '', min: FIELDS.start_date.min, max: FIELDS.start_date.max }),
    review_date: input({ type: 'date', name: 'review_date', value: g.review_date || '', min: FIELDS.review_date.min, max: FIELDS.review_date.max }),
    location: input({ name: 'location', value: g.location || '' }),
    ratio: input({ name: 'ratio', value: g.ratio || '', inputmode: 'numeric' }),
    hourly_staff_cost_pence: input({ name: 'hourly_staff_cost_pence', inputmode: 'decimal', value: pounds(g.hourly_staff_cost_pence) }),
    resource_cost_pence: input({ name: 'resource_cost_pence', inputmode: 'decimal', value: pounds(g.resource_cost_pence) }),
    funding_source: select({ name: 'funding_source' }, Object.entries(WORDS.funding_sources), g.funding_source),
  };
  const days = formGroup(LABELS.days, h('div', { class: 'choice-row' },
    DAY_CODES.map((d) => checkbox('days', d, WORDS.weekdays[d], (g.days || []).includes(d)))),
  { name: 'days', hint: 'One session on each day chosen.' });
  const people = formGroup(LABELS.staff_ids, staff.length ? h('div', { class: 'choice-row staff-choices' },
    staff.map((s) => checkbox('staff_ids', s.id, s.job_title ? `${s.name} (${s.job_title})` : s.name, g.staff_ids.includes(s.id))))
    : h('p', {}, 'No staff accounts yet: an admin adds them.'), { name: 'staff_ids', hint: 'Who delivers the sessions. They see the group and its pupils.' });
  wireDefaults(c, interventions, terms, Boolean(group));
  const problems = h('div', { class: 'problems' });
  const form = h('form', { novalidate: true, id: 'group-form' },
    formField(LABELS.intervention_id, c.intervention_id, { name: 'intervention_id', hint: group ? 'A group keeps its intervention.' : null }),
    formField(LABELS.name, c.name, { name: 'name', hint: 'How staff will know it, e.g. "Talk Boost, Year 1, spring".' }),
    days,
    h('div', { class: 'grid' },
      formField(LABELS.minutes_per_session, c.minutes_per_session, { name: 'minutes_per_session' }),
      formField(LABELS.weeks, c.weeks, { name: 'weeks', hint: 'Teaching weeks; holidays do not count.' })),
    h('div', { class: 'grid' },
      formField(LABELS.start_date, c.start_date, { name: 'start_date' }),
      formField(LABELS.review_date, c.review_date, { name: 'review_date', hint: 'Set to the end of the block until you change it.' })),
    h('div', { class: 'grid' },
      formField(LABELS.location, c.location, { name: 'location', hint: 'For example "Library corner".' }),
      formField(LABELS.ratio, c.ratio, { name: 'ratio', hint: 'Adults to pupils, e.g. 1:4.' })),
    people,
    h('div', { class: 'grid' },
      formField(`${LABELS.hourly_staff_cost_pence} (£)`, c.hourly_staff_cost_pence, { name: 'hourly_staff_cost_pence', hint: 'For each adult, e.g. 14.50' }),
      formField(`${LABELS.resource_cost_pence} (£)`, c.resource_cost_pence, { name: 'resource_cost_pence', hint: 'Books, kits, licences' }),
      formField(LABELS.funding_source, c.funding_source, { name: 'funding_source' })),
    problems,
    h('div', { class: 'button-row' }, h('button', { type: 'submit', class: 'button' }, group ? 'Save group' : 'Start the group'),
      h('a', { class: 'button secondary', href: group ? `#/group/${group.id}` : '#/groups' }, 'Cancel')));
  form.addEventListener('submit', saveOnce(() => save(form, problems, c, group, ctx)));
  return form;
}

/** A new group takes its cost basis and a name from the intervention; the review date follows
 * the block's end until the user sets one themselves. */
function wireDefaults(c, interventions, terms, editing) {
  let reviewTouched = Boolean(c.review_date.value);
  let nameTouched = Boolean(c.name.value);
  const followReview = () => {
    const weeks = Number(c.weeks.value);
    if (!reviewTouched && c.start_date.value && Number.isInteger(weeks) && weeks > 0) {
      c.review_date.value = blockEnd(c.start_date.value, Math.min(weeks, 52), terms);
    }
  };
  const fromIntervention = () => {
    const chosen = interventions.find((i) => String(i.id) === c.intervention_id.value);
    if (!chosen || editing) return;
    if (!c.hourly_staff_cost_pence.value) c.hourly_staff_cost_pence.value = pounds(chosen.default_hourly_staff_cost_pence);
    if (!c.resource_cost_pence.value) c.resource_cost_pence.value = pounds(chosen.default_resource_cost_pence);
    if (!nameTouched) c.name.value = chosen.name;
  };
  c.review_date.addEventListener('input', () => { reviewTouched = true; });
  c.name.addEventListener('input', () => { nameTouched = true; });
  c.start_date.addEventListener('change', followReview);
  c.weeks.addEventListener('input', followReview);
  c.intervention_id.addEventListener('change', fromIntervention);
  fromIntervention();
  followReview();
}

const whole = (el) => (el.value.trim() === '' ? null : Number(el.value));

async function save(form, problems, c, group, ctx) {
  const body = {
    name: text(c.name.value), days: picked(form, 'days'), minutes_per_session: whole(c.minutes_per_session),
    weeks: whole(c.weeks), start_date: c.start_date.value || null, review_date: c.review_date.value || null,
    location: text(c.location.value), ratio: c.ratio.value.trim().replace(/\s+/g, ''),
    staff_ids: picked(form, 'staff_ids').map(Number), hourly_staff_cost_pence: pence(c.hourly_staff_cost_pence.value),
    resource_cost_pence: pence(c.resource_cost_pence.value), funding_source: c.funding_source.value,
  };
  body.sessions_per_week = body.days.length;
  if (!group) body.intervention_id = c.intervention_id.value ? Number(c.intervention_id.value) : null;
  const found = [
    group || body.intervention_id ? null : ['intervention_id', 'Choose the intervention this group runs.'],
    textProblem('name', LABELS.name, body.name, FIELDS.name),
    body.days.length ? null : ['days', 'Choose the days it runs.'],
    numberProblem('minutes_per_session', LABELS.minutes_per_session, body.minutes_per_session, FIELDS.minutes_per_session),
    numberProblem('weeks', LABELS.weeks, body.weeks, FIELDS.weeks),
    dateProblem('start_date', LABELS.start_date, body.start_date, FIELDS.start_date),
    dateProblem('review_date', LABELS.review_date, body.review_date, FIELDS.review_date),
    body.start_date && body.review_date && body.review_date <= body.start_date
      ? ['review_date', 'The review must come after the start date.'] : null,
    textProblem('location', LABELS.location, body.location, FIELDS.location),
    new RegExp(FIELDS.ratio.pattern).test(body.ratio) ? null : ['ratio', FIELDS.ratio.patternMessage],
    moneyProblem('hourly_staff_cost_pence', LABELS.hourly_staff_cost_pence, body.hourly_staff_cost_pence, FIELDS.hourly_staff_cost_pence),
    moneyProblem('resource_cost_pence', LABELS.resource_cost_pence, body.resource_cost_pence, FIELDS.resource_cost_pence),
  ].filter(Boolean);
  if (!showFormProblems(form, problems, found)) return false;
  body.hourly_staff_cost_pence ??= 0;
  body.resource_cost_pence ??= 0;
  const { data, error } = group ? await send('PATCH', `/api/v1/groups/${group.id}`, body)
    : await send('POST', '/api/v1/groups/', body);
  if (error) { showFormProblems(form, problems, serverFormProblems(error, LABELS)); return false; }
  announce(group ? `Saved ${data.name}.` : `Started ${data.name}. Now enrol its pupils.`);
  ctx.syncNow().catch(() => {});  // so the session form offers the group on this device
  ctx.go('group', data.id);
  return true;
}
