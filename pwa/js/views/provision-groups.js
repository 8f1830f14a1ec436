// One group on the provision map: its title said once, how it runs, sessions delivered against
// planned, attendance, progress, cost, and each pupil's attendance and entry -> exit with the
// outcome; small inline SVG charts, each with its value written beside it.
import { bar, svg } from '../cache.js';
import { moodOf } from '../chart.js';
import { areaWords, groupTitle, money } from '../provision-words.js';
import { FACES5, faceSvg, h } from '../ui.js';
import { friendlyDate, plural } from '../words.js';

/** Entry -> exit as a tiny line between two dots (hollow exit = not measured yet), plus words. */
function entryExit(p) {
  const hasExit = p.exit !== null && p.exit !== undefined && p.exit !== '';
  const chart = svg({ class: 'chart', width: 48, height: 14, viewBox: '0 0 48 14' },
    '<line class="line" x1="6" y1="7" x2="40" y2="7"/>'
    + '<circle class="dot filled" cx="6" cy="7" r="4"/>'
    + `<circle class="dot${hasExit ? ' filled' : ''}" cx="41" cy="7" r="4"/>`);
  const steps = p.steps_moved === null || p.steps_moved === undefined ? '' : ` (${plural(p.steps_moved, 'step')})`;
  const outcome = p.outcome_words || p.outcome
    ? h('span', { class: 'outcome' }, `${p.outcome_words || 'Outcome'}${p.outcome ? `: ${p.outcome}` : ''}`) : null;
  return [h('span', {}, chart, ` ${p.entry || '—'} → ${hasExit ? p.exit : 'not yet'}${steps}`), outcome];
}

/** Pupil-voice trend: one small face per point, oldest first, with the pupil's own words as text
 * (a point carries the face they chose: scale, position and its words). Only a point without
 * them (an older server) falls back to its 0-100 score: 0 very sad ... 100 very happy. */
function voiceTrend(points, names) {
  if (!points || !points.length) return h('p', {}, 'Pupil voice: no points yet.');
  const shown = points.slice(-12);
  const byScore = (s) => Math.max(1, Math.min(5, 1 + Math.round((Number.isFinite(s) ? s : 50) / 25)));
  const mood = (pt) => (pt.face && pt.position ? moodOf(pt) : byScore(pt.score));
  const words = (pt) => (pt.face ? pt.face : FACES5[byScore(pt.score) - 1]);
  const who = (pt) => (names.has(pt.pupil_id) ? `, ${names.get(pt.pupil_id)}` : '');
  return h('div', { class: 'voice-trend' }, h('span', {}, 'Pupil voice trend: '),
    h('span', { class: 'sparkline' }, shown.map((pt) => faceSvg(mood(pt)))),
    h('span', {}, ` ${shown.map((pt) => `${friendlyDate(pt.date)}${who(pt)}: ${words(pt)}`).join('; ')}`));
}

function pupilTable(g, title) {
  return h('table', { class: 'data-table map-pupils stack-table' },
    h('caption', { class: 'visually-hidden' }, `Pupils in ${title}`),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Pupil'), h('th', { scope: 'col' }, 'Attendance'),
      h('th', { scope: 'col' }, 'Entry → exit'))),
    h('tbody', {}, g.pupils.map((p) => h('tr', {},
      h('th', { scope: 'row' }, h('a', { class: 'pupil-link', href: `#/pupil-page/${p.pupil_id}` }, p.name),
        p.left_on ? h('span', { class: 'detail' }, ` left ${friendlyDate(p.left_on)}`) : null),
      h('td', { dataset: { label: 'Attendance' } }, bar(p.attendance_pct, 60)),
      h('td', { dataset: { label: 'Entry → exit' } }, entryExit(p))))));
}

export function groupCard(g, { linked }) {
  const title = groupTitle(g.group, g.intervention.name);
  const cost = g.cost_pence ? `${money(g.cost_pence)} so far${g.cost_per_pupil_pence ? `, ${money(g.cost_per_pupil_pence)} a pupil` : ''}` : null;
  return h('section', { class: 'card group-card', dataset: { group: g.group_id } },
    h('h2', {}, linked ? h('a', { href: `#/group/${g.group_id}` }, title) : title),
    h('p', { class: 'detail' }, [areaWords(g.intervention.area_of_need), g.frequency].filter(Boolean).join(' · ')),
    g.active ? null : h('p', {}, h('strong', {}, 'Ended'), g.ended_on ? ` on ${friendlyDate(g.ended_on)}` : ''),
    h('p', {}, h('strong', {}, 'Sessions: '), bar(g.fidelity_pct),
      ` · ${g.sessions_delivered} of ${plural(g.sessions_planned, 'session')} ${g.active ? 'planned so far' : 'planned'} delivered`),
    h('p', {}, h('strong', {}, 'Attendance: '), bar(g.attendance_pct)),
    g.progress && g.progress.summary ? h('p', { class: 'progress' }, h('strong', {}, 'Progress: '), g.progress.summary) : null,
    cost ? h('p', {}, h('strong', {}, 'Cost: '), cost) : null,
    g.pupils && !g.pupils.length ? h('p', {}, 'No pupils in this group.') : null,
    g.pupils && g.pupils.length ? pupilTable(g, title) : null,
    g.pupils ? voiceTrend(g.voice_trend, new Map(g.pupils.map((p) => [p.pupil_id, p.name]))) : null);
}
