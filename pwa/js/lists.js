// A repeatable list of small records (attendees, targets, actions, walkers): each row is a card
// of fields, with "Add" and "Remove" buttons. items is the live array read at save time.
import { field, h, input, select } from './ui.js';

/**
 * columns: [{key, label, type?: 'text'|'date'|'select', options?: [[value, label]]}].
 * blank() makes a new item. Returns a fieldset element.
 */
export function listEditor(legend, noun, columns, items, blank) {
  const rows = h('div', { class: 'list-rows' });
  const fs = h('fieldset', { class: 'list-editor' }, h('legend', {}, legend), rows);
  const draw = () => {
    rows.replaceChildren(...items.map((item, i) => h('div', { class: 'card grid compact' },
      columns.map((c) => field(`${c.label} (${noun} ${i + 1})`, control(c, item))),
      h('div', {}, h('button', { type: 'button', class: 'button secondary',
        onclick: () => { items.splice(i, 1); draw(); } }, `Remove ${noun} ${i + 1}`)))));
  };
  fs.append(h('button', { type: 'button', class: 'button secondary',
    onclick: () => { items.push(blank()); draw(); rows.lastChild?.querySelector('input,select')?.focus(); } },
  `Add ${noun}`));
  draw();
  return fs;
}

function control(column, item) {
  const update = (e) => { item[column.key] = e.target.value; };
  if (column.type === 'select') {
    const el = select({ name: column.key }, column.options, item[column.key]);
    el.addEventListener('change', update);
    return el;
  }
  return input({ type: column.type || 'text', name: column.key, value: item[column.key] || '',
    oninput: update });
}

/** Rows with every listed key filled, trimmed; blank strings become null. */
export function cleanRows(items, required) {
  return items
    .map((item) => Object.fromEntries(Object.entries(item).map(([k, v]) =>
      [k, typeof v === 'string' ? (v.trim() || null) : v])))
    .filter((item) => required.some((k) => item[k]));
}
