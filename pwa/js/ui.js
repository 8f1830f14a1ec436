// Small DOM helpers and the shared scale widgets (FORMS.md §6): RAG always word + shape + colour,
// faces drawn as the project's own SVG with their words, every target at least 44 px.

/** h('div', {class: 'x', onclick: fn}, child, ...) -> element. Strings become text nodes. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key in el && typeof value !== 'string') el[key] = value;
    else el.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

let uid = 0;
export const nextId = (prefix = 'f') => `${prefix}-${++uid}`;

export const RAG = [
  { value: 'red', word: 'Not yet', glyph: '■', shape: 'square' },
  { value: 'amber', word: 'Getting there', glyph: '▲', shape: 'triangle' },
  { value: 'green', word: 'Secure', glyph: '●', shape: 'circle' },
];
export const FACES5 = ['Very sad', 'Sad', 'OK', 'Happy', 'Very happy'];
export const FACES3 = ['Sad', 'OK', 'Happy'];

/** A labelled input; returns the wrapper. The control keeps its own name for reading later. */
export function field(label, control, hint) {
  const id = control.id || (control.id = nextId());
  const hintEl = hint ? h('span', { class: 'hint', id: `${id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: id }, label), hintEl, control);
}

export const input = (attrs) => h('input', { type: 'text', ...attrs });
// A textarea's text is its content, not a value attribute: set the property, or a form opened
// to correct a record would show its notes empty.
export const textarea = ({ value, ...attrs }) => {
  const el = h('textarea', { rows: 3, ...attrs });
  if (value !== undefined && value !== null) el.value = value;
  return el;
};

export function select(attrs, options, value) {
  return h('select', attrs, options.map(([v, label]) =>
    h('option', { value: v, selected: String(v) === String(value) }, label)));
}

/**
 * A radio group drawn as large buttons. options: [{value, label, icon?, class?}].
 * onchange(value) fires on every choice. Returns the fieldset.
 */
export function choices(legend, name, options, value, onchange, extraClass = '') {
  const fs = h('fieldset', { class: `choices ${extraClass}` }, h('legend', {}, legend));
  const row = h('div', { class: 'choice-row' });
  for (const option of options) {
    const radio = h('input', { type: 'radio', name, value: String(option.value),
      checked: String(option.value) === String(value),
      onchange: () => onchange && onchange(option.value) });
    row.append(h('label', { class: `choice ${option.class || ''}` }, radio,
      h('span', { class: 'choice-face' }, option.icon || null, h('span', { class: 'word' }, option.label))));
  }
  fs.append(row);
  return fs;
}

/** The value of the checked radio in a group, or null. */
export function checked(root, name) {
  const el = root.querySelector(`input[name="${CSS.escape(name)}"]:checked`);
  return el ? el.value : null;
}

export function ragChoices(legend, name, value, onchange) {
  return choices(legend, name, RAG.map((r) => ({ value: r.value, label: r.word, class: `rag rag-${r.value}`,
    icon: h('span', { class: 'glyph', 'aria-hidden': 'true' }, r.glyph) })), value, onchange, 'rag-group');
}

/** Faces 1..n (3 or 5) with their words; the SVG is decorative, the word is the label. */
export function faceChoices(legend, name, points, value, onchange) {
  const words = points === 3 ? FACES3 : FACES5;
  return choices(legend, name, words.map((word, i) => ({ value: i + 1, label: word,
    icon: faceSvg(points === 3 ? i + 2 : i + 1) })), value, onchange, 'faces');
}

/** The project's own face: mood 1 (very sad) .. 5 (very happy) bends the mouth. */
export function faceSvg(mood) {
  const ns = 'http://www.w3.org/2000/svg';
  const curve = (mood - 3) * 5;  // negative frowns, positive smiles
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 40 40');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', 'face');
  svg.innerHTML = `<circle cx="20" cy="20" r="18" class="face-bg"/>`
    + `<circle cx="13.5" cy="15" r="2.4"/><circle cx="26.5" cy="15" r="2.4"/>`
    + `<path d="M11 ${27 - curve / 2} Q20 ${27 + curve} 29 ${27 - curve / 2}" class="mouth"/>`;
  return svg;
}

/** Today's school day in Europe/London as YYYY-MM-DD (DESIGN §5.0), whatever the device zone. */
export function londonToday() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
}

/**
 * A time-ordered UUID (RFC 9562 version 7) for op and entry ids: 48 bits of milliseconds,
 * then random bits. Ids minted in time order land at the end of the server's id indexes
 * instead of on a random page each, which halved what a push writes to disk.
 */
export function uuid() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let millis = Date.now();
  for (let i = 5; i >= 0; i -= 1) { bytes[i] = millis % 256; millis = Math.floor(millis / 256); }
  bytes[6] = 0x70 | (bytes[6] & 0x0f);
  bytes[8] = 0x80 | (bytes[8] & 0x3f);
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Trimmed text or null: the schemas want null rather than an empty string. */
export const text = (value) => (value && value.trim() ? value.trim() : null);

/** Show a message in the page's live region, for screen readers and everyone else. */
export function announce(message, tone = 'info') {
  const region = document.getElementById('announce');
  if (!region) return;
  region.className = `announce ${tone}`;
  region.textContent = message;
  // Clear it after a while so it does not cover the form; the screen reader has read it by then.
  clearTimeout(announce.timer);
  announce.timer = setTimeout(() => { region.textContent = ''; }, 10000);
}

/**
 * A form's submit handler that saves at most once: a double tap, or a second tap while the
 * first save is still writing, does nothing. handler() resolves true when it saved (the form
 * is then spent), false when it found problems the user can fix before tapping again.
 */
export function saveOnce(handler) {
  let state = 'ready';
  return async (event) => {
    event.preventDefault();
    if (state !== 'ready') return;
    state = 'busy';
    const button = event.currentTarget.querySelector('button[type="submit"]');
    button?.setAttribute('aria-disabled', 'true');
    try {
      state = (await handler()) ? 'spent' : 'ready';
    } finally {
      if (state !== 'spent') state = 'ready';
      if (state === 'ready') button?.removeAttribute('aria-disabled');
    }
  };
}

/** Show the form's problems (focused, so they are read out); true when there are none. */
export function showProblems(slot, found) {
  const list = errorList(found);
  slot.replaceChildren(list);
  if (found.length) {
    list.tabIndex = -1;
    list.focus();
  }
  return found.length === 0;
}

/** Field messages listed under a form heading, after a failed client-side check. */
export function errorList(messages) {
  if (!messages.length) return h('div', { class: 'errors', hidden: true });
  return h('div', { class: 'errors', role: 'alert' }, h('p', {}, 'Please check:'),
    h('ul', {}, messages.map((m) => h('li', {}, m))));
}

export function personName(pupil) {
  return `${pupil.preferred_name || pupil.forename} ${pupil.surname}`;
}
