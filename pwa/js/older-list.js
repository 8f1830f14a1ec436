// "Older records" on a pupil's page: what is older than this device's pull window, read from the
// school's server a page at a time on request (js/older.js). Each is marked in words as kept on
// the server. Offline the section says when they can be read instead of offering a dead button.
import { KIND_TITLES } from './describe.js';
import { KEPT_ON_SERVER, problemWords, readMore, shownFor } from './older.js';
import { h, personName } from './ui.js';
import { friendlyDate, plural } from './words.js';

function item(entry, label) {
  const href = `#/record/${encodeURIComponent(entry.entry_id)}`;
  const said = label(entry);
  const words = `${KIND_TITLES[entry.kind] || 'Record'}, ${friendlyDate(entry.date)}${said ? `: ${said}` : ''}`;
  return h('li', {}, h('a', { href }, words),
    h('div', { class: 'detail' },
      entry.author && entry.author.name ? `Recorded by ${entry.author.name}. ` : '',
      entry.withheld ? 'Some answers were passed to the safeguarding lead. ' : '',
      h('span', { class: 'state-badge server-badge' }, KEPT_ON_SERVER)));
}

function loadedWords(count) {
  if (!count) return 'No more older records on the server.';
  return `Loaded ${plural(count, 'older record')}.`;
}

function introWords(pupil, from) {
  const held = from ? `This device holds records from ${friendlyDate(from)} onwards. ` : '';
  return `${held}Older records about ${personName(pupil)} are kept on the school's server.`;
}

/** Where the device's lists start, said at the top so an empty list is not read as "none ever". */
export function olderNote(range) {
  if (!range || !range.from) return null;
  return h('p', { class: 'as-of', id: 'older-note' }, `Records on this device start on ${friendlyDate(range.from)}. `
    + 'Older ones are kept on the school\'s server: see "Older records" at the foot of the page.');
}

/**
 * The section, or null when this device took every record (range null, from js/older.js
 * olderThan), so none is older.
 * label(entry) gives the words a local record of that kind would show after its date, if any.
 */
export function olderSection(pupil, localEntries, range, label = () => null) {
  if (!range) return null;
  const localIds = new Set(localEntries.map((e) => e.entry_id));
  const list = h('ul', { class: 'plain record-list', id: 'older-records' });
  const status = h('p', { id: 'older-status', role: 'status', tabindex: '-1' });
  const controls = h('div', { class: 'older-controls' });
  let busy = false;

  const button = (id, words, onclick) => h('button', { type: 'button', class: 'button secondary', id, onclick }, words);

  /** The control for where the list stands: offline words, more to read, or the end. */
  function draw() {
    const read = shownFor(pupil.id);
    if (read && read.done) {
      controls.replaceChildren(h('p', {}, read.items.length
        ? 'That is every older record on the server.' : `The school's server has no older records about ${personName(pupil)}.`));
    } else if (!navigator.onLine) {
      controls.replaceChildren(h('p', { class: 'panel', id: 'older-offline' },
        read ? 'More older records can be read when this device is back online.'
          : 'Older records can be read when this device is back online.'));
    } else {
      controls.replaceChildren(read ? button('older-more', 'Show more older records', load)
        : button('older-show', "Show older records (from the school's server)", load));
    }
  }

  async function load(event) {
    if (busy) return;
    busy = true;
    // The button stays where it is, focused, while it waits: disabling it would drop the focus.
    const pressed = event.currentTarget;
    pressed.setAttribute('aria-disabled', 'true');
    pressed.textContent = 'Reading older records from the server…';
    try {
      const { fresh } = await readMore(pupil.id, range.before, localIds);
      list.append(...fresh.map((e) => item(e, label)));
      status.textContent = loadedWords(fresh.length);
      draw();
      // Focus moves to the first record just added, so "Show more" never drops it on the page.
      (fresh.length ? list.children[list.children.length - fresh.length].querySelector('a') : status).focus();
    } catch (err) {
      controls.replaceChildren(h('p', { class: 'panel notice', role: 'alert', id: 'older-problem' }, problemWords(err)),
        button('older-retry', 'Try again', load));
      controls.querySelector('#older-retry').focus();
    } finally {
      busy = false;
    }
  }

  // Going on- or offline changes what the control can offer; a page left behind stops listening.
  let attached = false;
  const redraw = () => {
    attached = attached || controls.isConnected;
    if (attached && !controls.isConnected) {
      removeEventListener('online', redraw);
      removeEventListener('offline', redraw);
    } else if (!busy) draw();
  };
  addEventListener('online', redraw);
  addEventListener('offline', redraw);
  const read = shownFor(pupil.id);
  if (read) list.append(...read.items.map((e) => item(e, label)));
  draw();
  return h('section', { class: 'card pupil-section', 'aria-labelledby': 'older-heading' },
    h('h2', { id: 'older-heading' }, 'Older records'),
    h('p', {}, introWords(pupil, range.from)), list, status, controls);
}
