// The provision map for my scope, kept for offline reading. Every chart is a small inline SVG
// with its values written beside it: colour or length alone never carries the meaning.
import { asOf, bar, cachedGet, svg } from '../cache.js';
import { FACES5, faceSvg, h } from '../ui.js';

/** Entry -> exit as a tiny line between two dots (hollow exit = not measured yet), plus words. */
function entryExit(p) {
  const hasExit = p.exit !== null && p.exit !== undefined && p.exit !== '';
  const chart = svg({ class: 'chart', width: 48, height: 14, viewBox: '0 0 48 14' },
    '<line class="line" x1="6" y1="7" x2="40" y2="7"/>'
    + '<circle class="dot filled" cx="6" cy="7" r="4"/>'
    + `<circle class="dot${hasExit ? ' filled' : ''}" cx="41" cy="7" r="4"/>`);
  const steps = p.steps_moved === null || p.steps_moved === undefined ? '' : ` (${p.steps_moved} step(s))`;
  return h('span', {}, chart, ` ${p.entry || '—'} → ${hasExit ? p.exit : 'not yet'}${steps}`);
}

/** Pupil-voice trend: one small face per point, oldest first, with the words as text. */
function voiceTrend(points) {
  if (!points || !points.length) return h('p', {}, 'Pupil voice: no points yet.');
  const shown = points.slice(-12);
  // Voice points are scored 0-100 on the server (sync/merge): 0 -> very sad ... 100 -> very happy.
  const mood = (s) => Math.max(1, Math.min(5, 1 + Math.round((Number(s) || 50) / 25)));
  return h('div', { class: 'voice-trend' }, h('span', {}, 'Pupil voice trend: '),
    h('span', { class: 'sparkline' }, shown.map((pt) => faceSvg(mood(pt.score)))),
    h('span', {}, ` ${shown.map((pt) => `${pt.date}: ${FACES5[mood(pt.score) - 1]}`).join(', ')}`));
}

function groupCard(g) {
  const name = `${g.intervention ? g.intervention.name : ''} · ${g.group}`;
  return h('section', { class: 'card group-card' },
    h('h2', {}, name),
    h('p', {}, g.frequency || ''),
    h('p', {}, h('strong', {}, 'Fidelity: '), bar(g.fidelity_pct),
      ` · ${g.sessions_delivered} of ${g.sessions_planned} sessions delivered`),
    h('p', {}, h('strong', {}, 'Group attendance: '), bar(g.attendance_pct)),
    g.progress && g.progress.summary ? h('p', {}, h('strong', {}, 'Progress: '), g.progress.summary) : null,
    g.pupils && !g.pupils.length ? h('p', {}, 'No pupils in this group.') : null,
    g.pupils && g.pupils.length ? h('table', { class: 'data-table' },
      h('caption', { class: 'visually-hidden' }, `Pupils in ${name}`),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Pupil'), h('th', { scope: 'col' }, 'Attendance'),
        h('th', { scope: 'col' }, 'Entry → exit'))),
      h('tbody', {}, g.pupils.map((p) => h('tr', {}, h('th', { scope: 'row' }, p.name),
        h('td', {}, bar(p.attendance_pct, 60)), h('td', {}, entryExit(p)))))) : null,
    g.pupils ? voiceTrend(g.voice_trend) : null);
}

export async function render(main) {
  main.append(h('h1', {}, 'Provision map'));
  const result = await cachedGet('provision-map', '/api/v1/provision-map');
  if (!result) { main.append(h('p', {}, 'No saved copy yet. Open this page once while online.')); return; }
  const map = result.data;
  const groups = map.groups || [];
  const t = map.totals || {};
  main.append(asOf(result),
    t.groups !== undefined ? h('p', { class: 'panel' }, `${t.groups} group(s), ${t.pupils} pupil(s). Overall fidelity: `,
      bar(t.fidelity_pct)) : null,
    groups.length ? h('div', { id: 'map-groups' }, groups.map(groupCard)) : h('p', {}, 'No groups in your scope.'));
}
