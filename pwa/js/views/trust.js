// "Provision across your schools", "#/trust" or "#/trust/<yyyy-mm-dd>": the one screen of a
// trust's or local authority's officer (the la_viewer, issue 16). They work in no school, so
// there is nothing to capture, pull or send: only the figures of the schools an operator shared
// with them (GET /api/v1/trust/provision-map), per school and added up, never a pupil or group.
// The last copy of each date is kept for reading offline, labelled with when it was fetched.
import { asOf, bar, cachedRead } from '../cache.js';
import { areaWords, measureWords, money } from '../provision-words.js';
import { field, h, input } from '../ui.js';
import { friendlyDate, plural } from '../words.js';
import { csvLink } from './provision.js';
import { rollupTable } from './provision-rollup.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export async function render(main, ctx) {
  const day = DAY.test(ctx.arg || '') ? ctx.arg : null;
  const query = day ? `?as_of=${day}` : '';
  main.append(h('h1', {}, 'Provision across your schools'));
  const { result, error } = await cachedRead(`trust-map${query}`, `/api/v1/trust/provision-map${query}`);
  if (!result) {
    main.append(dateForm(day, day, ctx), unavailable(error, ctx, day), menu());
    return;
  }
  const map = result.data;
  if (!map.schools.length) {  // nothing to date or download: say why, and who can help
    main.append(h('p', { class: 'panel', id: 'no-schools' }, 'No schools have been shared with you yet. ',
      'Ask the team that runs this service for your trust or local authority to share your schools with you; ',
      'their figures appear here as soon as they do.'), menu());
    return;
  }
  main.append(dateForm(map.as_of, day, ctx), asOf(result));
  if (!result.fresh) main.append(retryButton(ctx, day, 'Try to fetch the latest figures'));
  main.append(summary(map),
    csvLink(`/api/v1/trust/provision-map.csv?as_of=${map.as_of}`, 'trust-csv',
      'Download these figures as a spreadsheet (CSV)'),
    schoolsTable(map), registerTable(map), pupilsSection(map), areasTable(map), progressList(map.totals.progress),
    menu());
}

/** The day the figures run to, chosen here and kept in the address so Back returns to it. */
function dateForm(value, chosen, ctx) {
  const date = input({ type: 'date', id: 'as-of', name: 'as_of', value: value || '' });
  const form = h('form', { id: 'as-of-form', class: 'panel' },
    h('p', { id: 'as-of-words' }, value ? h('strong', {}, `Figures up to ${friendlyDate(value)}`)
      : 'Figures up to today'),
    field('Show the figures up to another day', date,
      'Sessions planned are counted up to this day; later sessions are not yet due.'),
    h('div', { class: 'button-row' }, h('button', { type: 'submit', class: 'button' }, 'Show these figures'),
      chosen ? h('a', { class: 'button secondary', href: '#/trust' }, 'Back to today') : null));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    ctx.go('trust', DAY.test(date.value) ? date.value : null);
  });
  return form;
}

function retryButton(ctx, day, label = 'Try again') {
  return h('div', { class: 'button-row' }, h('button', { type: 'button', class: 'button secondary',
    id: 'trust-retry', onclick: () => ctx.go('trust', day) }, label));
}

/** No figures to show: say why in plain words, and how to get them. */
function unavailable(error, ctx, day) {
  const when = day ? ` up to ${friendlyDate(day)}` : '';
  if (error && error.kind === 'auth') {
    return h('p', { class: 'panel notice', id: 'trust-problem' }, 'Your session has ended. ',
      h('a', { href: '#/login' }, 'Log in again'), ' to see the figures.');
  }
  const why = !error || error.kind === 'network'
    ? `The figures${when} need a connection, and this device has no saved copy of them yet. Connect to the internet and try again.`
    : (error.kind === 'server' ? 'The server could not send the figures just now. Try again in a moment.'
      : `The server could not show these figures: ${error.message}`);
  return h('div', { id: 'trust-problem' }, h('p', { class: 'panel notice' }, why), retryButton(ctx, day));
}

const count = (n) => n.toLocaleString('en-GB');
const hours = (minutes) => {
  const whole = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (!whole) return plural(rest, 'minute');
  return rest ? `${plural(whole, 'hour')} ${plural(rest, 'minute')}` : plural(whole, 'hour');
};

function summary(map) {
  const t = map.totals;
  const pupils = map.pupils_in_provision;
  return h('p', { class: 'panel', id: 'trust-summary' }, h('strong', {}, `Across ${plural(t.schools, 'school')}: `),
    `${plural(pupils.pupils, 'pupil')} in provision, in ${plural(pupils.enrolments, 'place')} across ${plural(t.groups, 'group')}; `,
    `${count(t.sessions_delivered)} of ${plural(t.sessions_planned, 'session')} planned so far delivered `,
    bar(t.fidelity_pct), `; cost ${money(t.cost_pence)}.`);
}

/** Sessions delivered of planned, in words and as a bar with its percentage written beside it. */
const delivered = (line) => [`${count(line.sessions_delivered)} of ${count(line.sessions_planned)} `, bar(line.fidelity_pct)];

function figuresTable({ id, caption, first, lines, total }) {
  const cols = [first, 'Groups', 'Places', 'Sessions delivered of planned', 'Time delivered', 'Cost'];
  const cells = (label, line, places) => [h('th', { scope: 'row' }, label),
    ...[count(line.groups), count(places), delivered(line), hours(line.minutes_delivered),
      money(line.cost_pence)].map((value, i) => h('td', { dataset: { label: cols[i + 1] } }, value))];
  // rollup-table: the total line looks as it does in the roll-up under it.
  return h('table', { class: 'data-table rollup-table stack-table trust-table', id },
    h('caption', { class: 'hint' }, caption),
    h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, lines.map(([label, line, places]) => h('tr', {}, cells(label, line, places)))),
    total ? h('tfoot', {}, h('tr', {}, cells(...total))) : null);
}

const schoolLabel = (s) => [s.name, h('span', { class: 'hint dfe' }, ` DfE ${s.dfe_number}`)];

// The server names the total line ("Both schools"); a copy saved before it did says it here.
const totalLabel = (map) => map.total_label || `All ${plural(map.totals.schools, 'school')}`;

function schoolsTable(map) {
  return h('section', { 'aria-labelledby': 'schools-heading' }, h('h2', { id: 'schools-heading' }, 'By school'),
    figuresTable({ id: 'trust-schools', first: 'School',
      caption: `Provision in each school up to ${friendlyDate(map.as_of)}, then all your schools together`,
      lines: map.schools.map((s) => [schoolLabel(s), s.totals, s.totals.enrolments]),
      total: [totalLabel(map), map.totals, map.totals.enrolments] }));
}

/** "12 (8.5% of pupils on roll)", or "none": the count first, the share in words beside it. */
const share = (n, pct) => (n === 0 ? 'none' : `${count(n)} (${pct}% of pupils on roll)`);

/** The census figures a trust compares its schools by, on the chosen day. */
function registerTable(map) {
  if (!map.sen_register) return '';  // a copy saved before the server sent them
  const cols = ['School', 'Pupils on roll', 'SEN support', 'EHC plan'];
  const cells = (label, r) => [h('th', { scope: 'row' }, label),
    ...[count(r.on_roll), share(r.sen_support, r.sen_support_pct), share(r.ehc_plan, r.ehc_plan_pct)]
      .map((value, i) => h('td', { dataset: { label: cols[i + 1] } }, value))];
  return h('section', { 'aria-labelledby': 'register-heading' }, h('h2', { id: 'register-heading' }, 'SEN register'),
    h('table', { class: 'data-table rollup-table stack-table trust-table', id: 'trust-register' },
      h('caption', { class: 'hint' }, `Pupils on roll on ${friendlyDate(map.as_of)}, and how many of them had SEN support or an EHC plan that day`),
      h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, map.schools.map((s) => h('tr', {}, cells(schoolLabel(s), s.sen_register)))),
      h('tfoot', {}, h('tr', {}, cells(totalLabel(map), map.sen_register)))));
}

function pupilsSection(map) {
  return rollupTable(map.schools.map((s) => [s.name, s.pupils_in_provision]),
    [totalLabel(map), map.pupils_in_provision], {
      heading: 'Attendance and progress by school',
      hint: 'Each school\'s pupils in provision: how often they came, and where each place stands from entry to exit. A pupil in two groups has two places. Attendance is not added up across schools, where a small school would count as much as a large one.',
      caption: 'Attendance and entry to exit by school, then all your schools together',
      firstColumn: 'School',
    });
}

function areasTable(map) {
  const areas = Object.entries(map.by_area).map(([code, line]) => [areaWords(code), line, line.enrolments])
    .sort((a, b) => a[0].localeCompare(b[0]));
  return h('section', { 'aria-labelledby': 'areas-heading' }, h('h2', { id: 'areas-heading' }, 'By area of need'),
    areas.length ? figuresTable({ id: 'trust-areas', first: 'Area of need', lines: areas,
      caption: 'Provision by area of need, all your schools together' })
      : h('p', {}, 'No groups running in these schools.'));
}

/** Progress per measure: "Standardised score: 3 of 5 places measured moved at least one step". */
function progressList(progress) {
  const measures = Object.entries(progress || {}).filter(([, p]) => p.counted);
  return h('section', { 'aria-labelledby': 'progress-heading' }, h('h2', { id: 'progress-heading' }, 'Progress by measure'),
    measures.length ? h('ul', { class: 'list', id: 'trust-progress' }, measures.map(([code, p]) => h('li', {},
      h('strong', {}, `${measureWords(code)}: `),
      `${count(p.moved)} of ${plural(p.counted, 'place')} with entry and exit data moved at least one step`)))
      : h('p', {}, 'No place has both entry and exit data yet.'));
}

function menu() {
  return h('nav', { 'aria-label': 'Your account', class: 'trust-menu' }, h('ul', { class: 'tiles' },
    h('li', {}, h('a', { class: 'button secondary', href: '#/password' }, 'Change my password')),
    h('li', {}, h('a', { class: 'button secondary', href: '#/credits' }, 'Picture credits and licences'))));
}
