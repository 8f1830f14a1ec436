// Small charts drawn by the app as SVG (no chart library). A chart never carries meaning alone:
// each point is also a shape (a face, a RAG shape, a number) and every value is written out in
// words in a list beside it, so colour, position or size are never the only cue.
import { RAG, faceSvg } from './ui.js';
import { friendlyDate } from './words.js';

const NS = 'http://www.w3.org/2000/svg';

function el(tag, attrs = {}, ...children) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  node.append(...children);
  return node;
}

/**
 * A rating as the pupil chose it, {scale_type, scale, position, face} (the provision map's voice
 * trend points and sync/merge `chosen` carry exactly this), placed for drawing:
 * level 0 (lowest) .. 1 (highest), and the mark to draw. Three faces sit at the heights of the
 * same words on five ("Happy" is "Happy" on either, never "Very happy").
 */
export function placeRating(point) {
  const { scale_type: type, scale, position } = point;
  if (type === 'faces5') return { level: (position - 1) / 4, mark: { face: position } };
  if (type === 'faces3') return { level: position / 4, mark: { face: position + 1 } };
  if (type === 'rag') return { level: (position - 1) / 2, mark: { rag: RAG[position - 1] } };
  const level = scale > 1 ? (position - 1) / (scale - 1) : 0.5;
  return { level, mark: { number: String(point.face || position).split(' ')[0] } };
}

/** The face (1 very sad .. 5 very happy) nearest a rating, for a one-glance sparkline. */
export function moodOf(point) {
  const { mark, level } = placeRating(point);
  return mark.face || 1 + Math.round(level * 4);
}

function mark(m, x, y, size) {
  if (m.face) {
    const face = faceSvg(m.face);
    face.classList.add('mark-face');  // sized in app.css: .face has a CSS size that beats attributes
    for (const [k, v] of Object.entries({ x: x - size / 2, y: y - size / 2, width: size, height: size })) {
      face.setAttribute(k, String(v));
    }
    return face;
  }
  const r = size / 2 - 2;
  if (m.rag) {
    const cls = `mark rag-mark rag-${m.rag.value}`;
    if (m.rag.shape === 'square') return el('rect', { class: cls, x: x - r, y: y - r, width: 2 * r, height: 2 * r });
    if (m.rag.shape === 'triangle') {
      return el('polygon', { class: cls, points: `${x},${y - r} ${x + r},${y + r} ${x - r},${y + r}` });
    }
    return el('circle', { class: cls, cx: x, cy: y, r });
  }
  return el('g', { class: 'mark number-mark' }, el('circle', { cx: x, cy: y, r }),
    el('text', { x, y: y + 5, 'text-anchor': 'middle' }, m.number));
}

/**
 * A trend of ratings over time: one mark per point, oldest on the left, joined by a line, over
 * five faint level lines (with the five faces as the key on the left). points: [{date,
 * scale_type, scale, position, face}], oldest first. The SVG is decorative for assistive tech:
 * the same points are listed in words by the caller.
 */
export function ratingTrend(points, { label = 'Ratings over time' } = {}) {
  const step = 56;
  const size = 36;
  const left = 52;
  const top = 24;
  const height = 160;
  const width = left + step * points.length;
  const yOf = (level) => top + (1 - level) * height;
  const svg = el('svg', { class: 'trend-chart', viewBox: `0 0 ${width} ${top * 2 + height + 16}`,
    width, 'aria-hidden': 'true', focusable: 'false', 'data-label': label });
  for (let i = 0; i < 5; i += 1) {
    const y = yOf(i / 4);
    svg.append(el('line', { class: 'level', x1: left - 8, y1: y, x2: width, y2: y }));
    const key = faceSvg(i + 1);
    for (const [k, v] of Object.entries({ x: 4, y: y - 12, width: 24, height: 24 })) key.setAttribute(k, String(v));
    key.classList.add('key');
    svg.append(key);
  }
  const placed = points.map((p, i) => ({ ...placeRating(p), x: left + step * i + step / 2, date: p.date }));
  if (placed.length > 1) {
    svg.append(el('polyline', { class: 'trend-line',
      points: placed.map((p) => `${p.x},${yOf(p.level)}`).join(' ') }));
  }
  for (const p of placed) {
    svg.append(mark(p.mark, p.x, yOf(p.level), size));
    // A short date under each mark; the full date is in the list of words.
    svg.append(el('text', { class: 'date', x: p.x, y: top * 2 + height + 10, 'text-anchor': 'middle' },
      friendlyDate(p.date).split(' ').slice(1, 3).join(' ')));
  }
  return svg;
}
