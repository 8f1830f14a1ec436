// Read views work offline: fetch when online, keep the JSON in IndexedDB records (via db.js),
// and fall back to the last copy with the time it was fetched.
import * as db from './db.js';
import { get } from './api.js';
import { h } from './ui.js';
import { friendlyDateTime } from './words.js';

/** {data, fetchedAt, fresh} or null when there is neither a connection nor a saved copy. */
export async function cachedGet(key, path) {
  return (await cachedRead(key, path)).result;
}

/** As cachedGet, with why there is no fresh copy: {result, error} (error null offline). */
export async function cachedRead(key, path) {
  let error = null;
  if (navigator.onLine) {
    try {
      const data = await get(path);
      const fetchedAt = new Date().toISOString();
      await db.putRecords('cache', [[key, { data, fetchedAt }]]);
      return { result: { data, fetchedAt, fresh: true }, error };
    } catch (err) { error = err; }  // fall back to the saved copy
  }
  const saved = await db.getRecord('cache', key);
  return { result: saved ? { ...saved, fresh: false } : null, error };
}

export function asOf(result) {
  const when = friendlyDateTime(result.fetchedAt);
  return h('p', { class: 'as-of' }, result.fresh ? `Fetched ${when}.` : `Saved copy from ${when} (offline or the server did not answer).`);
}

const SVG = 'http://www.w3.org/2000/svg';
export function svg(attrs, inner) {
  const el = document.createElementNS(SVG, 'svg');
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.setAttribute('aria-hidden', 'true');
  el.setAttribute('focusable', 'false');
  el.innerHTML = inner;
  return el;
}

/** A horizontal bar for a percentage; the value is always written next to it. */
export function bar(pct, width = 100) {
  const value = pct === null || pct === undefined ? null : Math.max(0, Math.min(100, Number(pct)));
  const w = value === null ? 0 : (value / 100) * width;
  return h('span', { class: 'bar' }, svg({ class: 'chart', width, height: 12, viewBox: `0 0 ${width} 12` },
    `<rect class="track" x="0" y="0" width="${width}" height="12" rx="3"/>`
    + `<rect class="fill" x="0" y="0" width="${w}" height="12" rx="3"/>`),
  ` ${value === null ? 'no data' : `${Math.round(value)}%`}`);
}
