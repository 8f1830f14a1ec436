// The provision map, "#/provision" or "#/provision/<filters>": the views the API has (class,
// year group, area of need, funding source, member of staff) chosen in a form and kept in the
// address, so Back returns to the last view; the CSV of the same view; the class -> school
// roll-up with its charts; then one card per group. Each view is kept for offline reading.
import { appendAll } from '../forms.js';
import { asOf, bar, cachedGet } from '../cache.js';
import { WORDS, areaWords, fundingWords } from '../provision-words.js';
import { session } from '../state.js';
import { h, select } from '../ui.js';
import { plural, yearWords } from '../words.js';
import { groupCard } from './provision-groups.js';
import { rollupSection } from './provision-rollup.js';

const FILTERS = ['class_id', 'year_group', 'area_of_need', 'funding_source', 'staff_id'];
const DELIVERERS = ['ta', 'teacher', 'senco'];

/** The filters in the address, only those the API takes, as a query string. */
function queryOf(arg) {
  const given = new URLSearchParams(arg || '');
  const kept = new URLSearchParams();
  for (const key of FILTERS) if (given.get(key)) kept.set(key, given.get(key));
  return kept;
}

export async function render(main, ctx) {
  appendAll(main, h('h1', {}, 'Provision map'));
  const query = queryOf(ctx.arg);
  const qs = query.toString();
  const [result, classes, staff] = await Promise.all([
    cachedGet(`provision-map${qs ? `?${qs}` : ''}`, `/api/v1/provision-map${qs ? `?${qs}` : ''}`),
    cachedGet('classes', '/api/v1/classes/'), cachedGet('staff', '/api/v1/staff/')]);
  const lists = { classes: (classes && classes.data) || [], staff: ((staff && staff.data) || []).filter((s) => DELIVERERS.includes(s.role)) };
  appendAll(main, filterForm(query, lists, ctx));
  if (!result) {
    appendAll(main, h('p', { class: 'panel' }, 'No saved copy of this view yet. Open it once while online.'));
    return;
  }
  const map = result.data;
  const groups = map.groups || [];
  const t = map.totals || {};
  const scope = describeView(query, lists);
  appendAll(main, asOf(result),
    h('p', { class: 'panel', id: 'map-summary' }, h('strong', {}, `${scope}: `),
      `${plural(t.groups || 0, 'group')}, ${plural(t.pupils || 0, 'pupil')}. Sessions delivered against planned so far: `,
      bar(t.fidelity_pct)),
    csvLink(`/api/v1/provision-map.csv${qs ? `?${qs}` : ''}`),
    rollupSection(map.by_class, scope),
    h('h2', { id: 'groups-heading' }, `Groups (${groups.length})`),
    groups.length ? h('div', { id: 'map-groups' }, groups.map((g) => groupCard(g, { linked: session.staff.role !== 'viewer' })))
      : h('p', {}, 'No groups in this view.'));
}

function filterForm(query, lists, ctx) {
  const years = [...new Set(lists.classes.map((c) => c.year_group))];
  const choose = (name, label, options) => h('div', { class: 'field' }, h('label', { for: `filter-${name}` }, label),
    select({ name, id: `filter-${name}` }, [['', 'All'], ...options], query.get(name) || ''));
  const form = h('form', { id: 'map-filters' },
    h('div', { class: 'grid' },
      choose('class_id', 'Class', lists.classes.map((c) => [c.id, `${c.name} (${yearWords(c.year_group)})`])),
      choose('year_group', 'Year group', years.map((y) => [y, yearWords(y)])),
      choose('area_of_need', 'Area of need', Object.entries(WORDS.areas)),
      choose('funding_source', 'Funded from', Object.entries(WORDS.funding_sources)),
      choose('staff_id', 'Delivered by', lists.staff.map((s) => [s.id, s.name]))),
    h('div', { class: 'button-row' }, h('button', { type: 'submit', class: 'button' }, 'Show this view'),
      query.toString() ? h('a', { class: 'button secondary', href: '#/provision' }, 'Whole school') : null));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = new URLSearchParams();
    for (const key of FILTERS) if (form.elements[key].value) chosen.set(key, form.elements[key].value);
    ctx.go('provision', chosen.toString() || null);
  });
  // Folded on a phone, where five lists would fill the first screen; open on a tablet.
  return h('details', { class: 'map-filters', open: window.innerWidth >= 700 },
    h('summary', { class: 'button secondary' }, 'Choose a view: class, year, need, funding, staff'), form);
}

/** "Whole school", or the view in words: "Robins (Year 1), Cognition and learning". */
function describeView(query, lists) {
  const parts = [];
  const cls = lists.classes.find((c) => String(c.id) === query.get('class_id'));
  if (query.get('class_id')) parts.push(cls ? `${cls.name} (${yearWords(cls.year_group)})` : 'One class');
  if (query.get('year_group')) parts.push(yearWords(query.get('year_group')));
  if (query.get('area_of_need')) parts.push(areaWords(query.get('area_of_need')));
  if (query.get('funding_source')) parts.push(`funded from ${fundingWords(query.get('funding_source')).toLowerCase()}`);
  const who = lists.staff.find((s) => String(s.id) === query.get('staff_id'));
  if (query.get('staff_id')) parts.push(`delivered by ${who ? who.name : 'one member of staff'}`);
  return parts.length ? parts.join(', ').replace(/^./, (c) => c.toUpperCase()) : 'Whole school';
}

/** The server's CSV of what is on screen, as a download (the trust's screen uses it too). */
export function csvLink(href, id = 'map-csv', label = 'Download this view as a spreadsheet (CSV)') {
  if (!navigator.onLine) return h('p', { class: 'hint' }, 'The spreadsheet download needs a connection.');
  return h('div', { class: 'button-row' }, h('a', { class: 'button secondary', id, download: '', href }, label));
}
