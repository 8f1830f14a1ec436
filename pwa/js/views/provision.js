// The provision map for my scope, kept for offline reading. Every chart is a small inline SVG
// with its values written beside it: colour or length alone never carries the meaning.
import { asOf, bar, cachedGet, svg } from '../cache.js';
import { moodOf } from '../chart.js';
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
  return h('span', {}, chart, ` ${p.entry || '—'} → ${hasExit ? p.exit : 'not yet'}${steps}`);
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

function groupCard(g) {
  const name = `${g.intervention ? g.intervention.name : ''} · ${g.group}`;
  return h('section', { class: 'card group-card' },
    h('h2', {}, name),
    h('p', {}, g.frequency || ''),
    h('p', {}, h('strong', {}, 'Fidelity: '), bar(g.fidelity_pct),
      ` · ${g.sessions_delivered} of ${plural(g.sessions_planned, 'session')} delivered`),
    h('p', {}, h('strong', {}, 'Group attendance: '), bar(g.attendance_pct)),
    g.progress && g.progress.summary ? h('p', {}, h('strong', {}, 'Progress: '), g.progress.summary) : null,
    g.pupils && !g.pupils.length ? h('p', {}, 'No pupils in this group.') : null,
    g.pupils && g.pupils.length ? h('table', { class: 'data-table' },
      h('caption', { class: 'visually-hidden' }, `Pupils in ${name}`),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Pupil'), h('th', { scope: 'col' }, 'Attendance'),
        h('th', { scope: 'col' }, 'Entry → exit'))),
      h('tbody', {}, g.pupils.map((p) => h('tr', {}, h('th', { scope: 'row' },
        h('a', { class: 'pupil-link', href: `#/pupil-page/${p.pupil_id}` }, p.name)),
        h('td', {}, bar(p.attendance_pct, 60)), h('td', {}, entryExit(p)))))) : null,
    g.pupils ? voiceTrend(g.voice_trend, new Map(g.pupils.map((p) => [p.pupil_id, p.name]))) : null);
}

export async function render(main) {
  main.append(h('h1', {}, 'Provision map'));
  const result = await cachedGet('provision-map', '/api/v1/provision-map');
  if (!result) { main.append(h('p', {}, 'No saved copy yet. Open this page once while online.')); return; }
  const map = result.data;
  const groups = map.groups || [];
  const t = map.totals || {};
  main.append(asOf(result),
    t.groups !== undefined ? h('p', { class: 'panel' }, `${plural(t.groups, 'group')}, ${plural(t.pupils, 'pupil')}. Overall fidelity: `,
      bar(t.fidelity_pct)) : null,
    groups.length ? h('div', { id: 'map-groups' }, groups.map(groupCard)) : h('p', {}, 'No groups in your scope.'));
}
