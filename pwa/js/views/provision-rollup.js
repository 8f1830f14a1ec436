// The class -> whole-school roll-up (DESIGN §6): one line per class with pupils in provision and
// the school's line under them, each with two charts the app draws as SVG: attendance as a bar,
// and where every place stands from entry to exit as a stacked bar. Each segment has its own
// pattern as well as its shade, the key names them, and the figures are written beside each bar,
// so neither colour nor length carries the meaning alone.
import { svg } from '../cache.js';
import { h } from '../ui.js';
import { plural, yearWords } from '../words.js';

// Sync/provision_rollup.py's buckets, in the order a SENCO reads them.
const BUCKETS = [
  ['moved', 'moved ≥ 1 step', 'seg-moved'],
  ['no_step', 'measured, no step yet', 'seg-flat'],
  ['not_counted', 'exit noted in words', 'seg-noted'],
  ['awaiting_exit', 'no exit data yet', 'seg-waiting'],
];
const WIDTH = 160;
// Drawn once per screen; the bars' segments fill from them (app.css: .seg-flat, .seg-noted).
const PATTERNS = '<defs>'
  + '<pattern id="pm-flat" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
  + '<rect width="6" height="6" class="seg-flat-bg"/><line x1="0" y1="0" x2="0" y2="6" class="seg-flat-line"/></pattern>'
  + '<pattern id="pm-noted" width="5" height="5" patternUnits="userSpaceOnUse">'
  + '<rect width="5" height="5" class="seg-noted-bg"/><circle cx="2.5" cy="2.5" r="1.1" class="seg-noted-dot"/></pattern>'
  + '</defs>';

/** The stacked bar of one line's places: moved, no step, noted, waiting. */
function progressBar(line) {
  const total = line.enrolments || 0;
  let x = 0;
  const parts = BUCKETS.map(([key, , cls]) => {
    const w = total ? (line[key] / total) * WIDTH : 0;
    const rect = w ? `<rect class="${cls}" x="${x.toFixed(1)}" y="1" width="${w.toFixed(1)}" height="14"/>` : '';
    x += w;
    return rect;
  }).join('');
  return svg({ class: 'chart stack', width: WIDTH, height: 16, viewBox: `0 0 ${WIDTH} 16` },
    `<rect class="frame" x="0.5" y="0.5" width="${WIDTH - 1}" height="15" rx="2"/>${parts}`);
}

function attendanceBar(pct) {
  const w = pct === null || pct === undefined ? 0 : (Math.max(0, Math.min(100, pct)) / 100) * WIDTH;
  return svg({ class: 'chart', width: WIDTH, height: 16, viewBox: `0 0 ${WIDTH} 16` },
    `<rect class="track" x="0" y="1" width="${WIDTH}" height="14" rx="3"/><rect class="fill" x="0" y="1" width="${w.toFixed(1)}" height="14" rx="3"/>`);
}

function progressWords(line) {
  const said = BUCKETS.filter(([key]) => line[key]).map(([key, words]) => `${line[key]} ${words}`);
  return said.length ? said.join(', ') : 'no places';
}

// A line with no attendance at all (undefined) is a total across schools, which keeps none.
function attendanceWords(pct) {
  if (pct === undefined) return 'see each school';
  return pct === null ? 'no sessions yet' : `${Math.round(pct)}%`;
}

function row(line, label, cellTag = 'td') {
  return h('tr', {},
    h('th', { scope: 'row' }, label),
    h(cellTag, { dataset: { label: 'Pupils' } }, `${plural(line.pupils, 'pupil')}, ${plural(line.enrolments, 'place')}`),
    h(cellTag, { dataset: { label: 'Attendance' } }, h('span', { class: 'bar' }, attendanceBar(line.attendance_pct),
      ` ${attendanceWords(line.attendance_pct)}`)),
    h(cellTag, { dataset: { label: 'Entry → exit' } }, h('span', { class: 'bar' }, progressBar(line)),
      h('span', { class: 'words' }, ` ${progressWords(line)}`)));
}

function key() {
  return h('ul', { class: 'chart-key', 'aria-label': 'Key to the entry to exit bars' }, BUCKETS.map(([, words, cls]) =>
    h('li', {}, svg({ class: 'chart', width: 18, height: 14, viewBox: '0 0 18 14' },
      `<rect class="frame" x="0.5" y="0.5" width="17" height="13"/><rect class="${cls}" x="1" y="1" width="16" height="12"/>`),
    ` ${words}`)));
}

/**
 * The roll-up table with its key and charts. lines: [[label, line]]; total: [label, line];
 * words: {heading, hint, caption, firstColumn}. The school map and the trust's both draw it.
 */
export function rollupTable(lines, total, words) {
  return h('section', { class: 'rollup', 'aria-labelledby': 'rollup-heading' },
    svg({ class: 'pattern-defs', width: 0, height: 0 }, PATTERNS),
    h('h2', { id: 'rollup-heading' }, words.heading),
    h('p', { class: 'hint' }, words.hint),
    lines.length ? [key(), h('table', { class: 'data-table rollup-table stack-table', id: 'rollup' },
      h('caption', { class: 'visually-hidden' }, words.caption),
      h('thead', {}, h('tr', {}, [words.firstColumn, 'Pupils', 'Attendance', 'Entry → exit'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, lines.map(([label, line]) => row(line, label))),
      h('tfoot', {}, row(total[1], total[0])))]
      : h('p', {}, 'No pupils in provision in this view.'));
}

/** rollup: the map's by_class; scope: words for what the lines cover ("Whole school"). */
export function rollupSection(rollup, scope) {
  if (!rollup || !rollup.classes) return null;
  const classLabel = (c) => (c.year_group ? `${c.name} (${yearWords(c.year_group)})` : c.name);
  return rollupTable(rollup.classes.map((c) => [classLabel(c), c]), [scope, rollup.school], {
    heading: 'By class, rolled up',
    hint: 'Each class\'s pupils in provision: how often they came, and where each place stands from entry to exit. A pupil in two groups has two places.',
    caption: 'Attendance and entry to exit by class, then the total',
    firstColumn: 'Class',
  });
}
