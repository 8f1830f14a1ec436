// A record kept on the school's server and not on this device (older than its pull window),
// opened from a pupil's "Older records": read online, read-only. It cannot be corrected here,
// because a correction is saved offline against the copy a device holds, and this one holds none.
import { describe, KIND_TITLES, lookups, templateOf } from '../describe.js';
import { KEPT_ON_SERVER, heldCopy, problemWords, serverCopy } from '../older.js';
import { h } from '../ui.js';
import { friendlyDate, friendlyDateTime } from '../words.js';

const PRINTABLE = new Set(['conversation', 'learning_walk']);

export function rowsList(rows, id) {
  return h('dl', { class: 'record-rows', id }, rows.flatMap(([label, words]) => [h('dt', {}, label), h('dd', {}, words)]));
}

/** "Print for the parents" or "Print the report", for the kinds the server prints; else null. */
export function printLink(entry) {
  if (!PRINTABLE.has(entry.kind) || entry.deleted) return null;
  return h('a', { class: 'button secondary', id: 'print', target: '_blank', rel: 'noopener',
    href: `/api/v1/entries/${encodeURIComponent(entry.entry_id)}/print` },
  entry.kind === 'conversation' ? 'Print for the parents' : 'Print the report');
}

function problem(main, ctx, words) {
  main.append(h('h1', {}, 'Record not on this device'), h('p', { class: 'panel notice', id: 'server-record-problem' }, words),
    h('div', { class: 'button-row' },
      navigator.onLine ? h('button', { type: 'button', class: 'button', id: 'record-retry',
        onclick: () => ctx.go('record', ctx.arg) }, 'Try again') : null,
      h('a', { class: 'button secondary', href: '#/home' }, 'Back to home')));
}

function edited(item) {
  const last = item.last_edited;
  return last && last.by ? ` · Last corrected by ${last.by.name || 'a member of staff'}, ${friendlyDateTime(last.at)}` : '';
}

async function show(main, item) {
  const names = await lookups();
  const template = await templateOf(item);
  const pupils = item.pupil_ids || [];
  main.append(...[h('h1', {}, `${KIND_TITLES[item.kind] || 'Record'}, ${friendlyDate(item.date)}`),
    h('p', { class: 'record-meta' }, h('span', { class: 'state-badge server-badge' }, KEPT_ON_SERVER),
      ` · Recorded by ${item.author && item.author.name ? item.author.name : 'a member of staff'}`,
      item.recorded_at ? ` · ${friendlyDateTime(item.recorded_at)}` : '', edited(item)),
    h('p', { class: 'panel', id: 'read-only' }, 'This record is older than the ones this device keeps, so it is read '
      + 'from the school\'s server and not saved here. It can be read here but not corrected.'),
    item.withheld ? h('p', { class: 'panel notice' }, `Some answers are not shown: ${item.withheld.message}`) : null,
    rowsList(describe(item, names, template), 'record-rows'),
    h('div', { class: 'button-row' }, printLink(item),
      pupils.length === 1 ? h('a', { class: 'button secondary', href: `#/pupil-page/${pupils[0]}` },
        `Back to ${names.pupil(pupils[0])}'s page`) : null,
      h('a', { class: 'button secondary', href: '#/home' }, 'Back to home'))].filter(Boolean));
}

/**
 * Show the server's copy of a record this device does not hold. Resolves false when there is
 * nothing to show (the server says it is not one this reader may see), so the caller says so.
 */
export async function renderServerCopy(main, ctx) {
  let item = heldCopy(ctx.arg);
  if (!item && !navigator.onLine) {
    problem(main, ctx, 'This record is not on this device. If it is an older record kept on the school\'s '
      + 'server, it can be read when this device is back online.');
    return true;
  }
  if (!item) {
    try {
      item = await serverCopy(ctx.arg);
    } catch (err) {
      if (err.status === 404) return false;
      problem(main, ctx, problemWords(err));
      return true;
    }
  }
  await show(main, item);
  return true;
}
