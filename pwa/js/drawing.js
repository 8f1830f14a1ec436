// A drawing answer (FORMS.md §3 extras) for pupils who would rather draw than talk or type.
// Pointer events cover finger, stylus and mouse alike; a tap makes a dot, so drawing never needs
// a drag. Colour buttons always say their colour's name; undo and clear are big; no timers.
// Strokes are kept as data (0..1 of the pad), so a reload or a turned tablet redraws them, and
// the PNG is drawn from them at one fixed size with a transparent background: the server keeps
// transparent images as PNG (server/media.py), so line art is not smudged into a JPEG.
import { h } from './ui.js';

export const COLOURS = [
  { value: '#1a1a1a', word: 'Black' }, { value: '#1565c0', word: 'Blue' },
  { value: '#c62828', word: 'Red' }, { value: '#2e7d32', word: 'Green' },
  { value: '#f9c80e', word: 'Yellow' }, { value: '#6d4c41', word: 'Brown' },
];
const OUT_WIDTH = 1200;
const OUT_HEIGHT = 900;  // the pad is 4:3 too, so nothing is stretched
const PEN = 0.012;       // line width as a share of the width

/** items: [{colour, points: [[x, y], ...]} | {clear: true}]; what follows the last clear shows. */
export const visible = (items) => items.slice(items.map((i) => Boolean(i.clear)).lastIndexOf(true) + 1);
export const isEmpty = (items) => visible(items).length === 0;

function paint(ctx, items, width, height) {
  ctx.clearRect(0, 0, width, height);
  Object.assign(ctx, { lineCap: 'round', lineJoin: 'round', lineWidth: PEN * width });
  for (const stroke of visible(items)) {
    ctx.strokeStyle = stroke.colour;
    ctx.fillStyle = stroke.colour;
    const [[x0, y0], ...rest] = stroke.points;
    ctx.beginPath();
    if (!rest.length) {
      ctx.arc(x0 * width, y0 * height, ctx.lineWidth / 2, 0, Math.PI * 2);
      ctx.fill();
      continue;
    }
    ctx.moveTo(x0 * width, y0 * height);
    for (const [x, y] of rest) ctx.lineTo(x * width, y * height);
    ctx.stroke();
  }
}

/** The drawing as a PNG Blob, for the outbox's attachment path (js/photos.js, js/outbox.js). */
export function toPng(items) {
  const canvas = document.createElement('canvas');
  canvas.width = OUT_WIDTH;
  canvas.height = OUT_HEIGHT;
  paint(canvas.getContext('2d'), items, OUT_WIDTH, OUT_HEIGHT);
  return new Promise((resolve, reject) => canvas.toBlob(
    (blob) => (blob ? resolve(blob) : reject(new Error('Could not save the drawing.'))), 'image/png'));
}

function describe(items) {
  const n = visible(items).length;
  return n ? `Your drawing has ${n} line${n === 1 ? '' : 's'} or dot${n === 1 ? '' : 's'}.` : 'Nothing drawn yet.';
}

/**
 * The pad: canvas, colours, undo and clear. items is changed in place; onchange(items) runs after
 * each finished stroke, undo or clear (callers persist then, not on every pointer move).
 */
export function drawingPad({ items, onchange, label = 'Drawing area', big = false }) {
  let colour = COLOURS[0].value;
  let stroke = null;
  let pending = 0;
  const status = h('p', { class: 'drawing-status', id: `drawing-status-${big ? 'p' : 's'}` });
  const canvas = h('canvas', { class: 'drawing-canvas', role: 'img', 'aria-label': label,
    'aria-describedby': status.id });
  const ctx = canvas.getContext('2d');
  const redraw = () => paint(ctx, items, canvas.width, canvas.height);
  const point = (e) => {
    // Measured inside the border, where the bitmap is drawn.
    const box = canvas.getBoundingClientRect();
    const clamp = (v) => Math.round(Math.min(1, Math.max(0, v)) * 10000) / 10000;
    return [clamp((e.clientX - box.left - canvas.clientLeft) / canvas.clientWidth),
      clamp((e.clientY - box.top - canvas.clientTop) / canvas.clientHeight)];
  };
  const changed = async () => {
    status.textContent = describe(items);
    undo.disabled = items.length === 0;
    clear.disabled = isEmpty(items);
    // data-saved says when the caller has stored every change (tests wait on it to reload).
    pending += 1;
    root.dataset.saved = 'false';
    try {
      await onchange(items);
    } finally {
      pending -= 1;
      root.dataset.saved = String(pending === 0);
    }
  };
  canvas.addEventListener('pointerdown', (e) => {
    if (!e.isPrimary || e.button > 0) return;
    e.preventDefault();
    canvas.setPointerCapture(e.pointerId);
    stroke = { colour, points: [point(e)] };
    items.push(stroke);
    redraw();
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!stroke || !e.isPrimary) return;
    const events = e.getCoalescedEvents ? e.getCoalescedEvents() : [e];
    for (const one of events.length ? events : [e]) {
      // Points closer than ~3 px at 1000 px add nothing visible, only bytes in IndexedDB.
      const [x, y] = point(one);
      const [lx, ly] = stroke.points[stroke.points.length - 1];
      if (Math.hypot(x - lx, y - ly) >= 0.003) stroke.points.push([x, y]);
    }
    redraw();
  });
  const end = () => { if (stroke) { stroke = null; changed(); } };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  // Keep the bitmap at the pad's real pixel size, so lines stay sharp on any screen and turn.
  new ResizeObserver(() => {
    const scale = window.devicePixelRatio || 1;
    canvas.width = Math.max(1, Math.round(canvas.clientWidth * scale));
    canvas.height = Math.max(1, Math.round(canvas.clientHeight * scale));
    redraw();
  }).observe(canvas);

  const colourButtons = COLOURS.map((c) => {
    // Set through the CSSOM: the page's CSP allows no inline style attributes.
    const swatch = h('span', { class: 'swatch', 'aria-hidden': 'true' });
    swatch.style.backgroundColor = c.value;
    return h('button', { type: 'button', class: 'drawing-colour', 'aria-pressed': String(c.value === colour),
      onclick: (e) => {
        colour = c.value;
        for (const b of colourButtons) b.setAttribute('aria-pressed', String(b === e.currentTarget));
      } }, swatch, c.word, h('span', { class: 'tick', 'aria-hidden': 'true' }, '✓'));
  });
  // Undo also undoes a clear, so a slip of the finger never loses a drawing.
  const undo = h('button', { type: 'button', class: 'button secondary', onclick: () => {
    items.pop();
    redraw();
    changed();
  } }, 'Undo');
  const clear = h('button', { type: 'button', class: 'button secondary', onclick: () => {
    items.push({ clear: true });
    redraw();
    changed();
  } }, 'Clear');
  status.textContent = describe(items);
  undo.disabled = items.length === 0;
  clear.disabled = isEmpty(items);
  const root = h('div', { class: `drawing${big ? ' big' : ''}` },
    h('div', { class: 'drawing-colours', role: 'group', 'aria-label': 'Colours' }, colourButtons),
    canvas, status, h('div', { class: 'drawing-tools' }, undo, clear));
  return root;
}
