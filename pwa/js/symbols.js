// Pictures beside the words in pupil mode (FORMS.md §6). The app's own SVG faces are the default.
// OpenMoji (CC BY-SA 4.0) is optional: set-up installs a few of its SVGs on the server
// (server/symbols.py, never committed) and staff switch it on per device in the pupil-mode set-up.
// Do not switch a pupil's symbol system lightly (send-mis-standards §3.2): that is why it is a
// staff choice per device, and why anything missing falls back to the same own faces.
import * as db from './db.js';
import { faceSvg, h } from './ui.js';

const KEY = 'pupil_symbols';
export const INDEX_URL = '/symbols/openmoji/index.json';
const MOODS = { 'face-very-sad': 1, 'face-sad': 2, 'face-ok': 3, 'face-happy': 4, 'face-very-happy': 5 };
export const FACE_KEYS = {
  3: ['face-sad', 'face-ok', 'face-happy'],
  5: ['face-very-sad', 'face-sad', 'face-ok', 'face-happy', 'face-very-happy'],
};

let setting = { enabled: false, index: null };

export const symbolUrl = (entry) => `/symbols/openmoji/${entry.hex}.svg`;

/** The installed set's index ({version, license, symbols: [{key, hex, meaning, name}]}) or null. */
export async function fetchIndex() {
  try {
    const response = await fetch(INDEX_URL, { headers: { Accept: 'application/json' } });
    return response.ok ? await response.json() : null;
  } catch {
    return null;  // offline and never cached: not installed as far as this device knows
  }
}

/** This device's choice, read once per pupil-mode screen. */
export async function load() {
  setting = (await db.getMeta(KEY)) || { enabled: false, index: null };
  return setting;
}

/**
 * Switch OpenMoji on or off for this device. Switching on keeps the index in IndexedDB and
 * fetches every picture now, while staff are online, so the service worker holds them for
 * pupil mode offline. Resolves false when the server has no symbols installed.
 */
export async function enable(on) {
  const index = on ? await fetchIndex() : null;
  if (on && !index) return false;
  if (index) await Promise.all(index.symbols.map((s) => fetch(symbolUrl(s)).catch(() => null)));
  setting = { enabled: Boolean(index), index };
  await db.setMeta(KEY, setting);
  return true;
}

/** Our own face for a face key, or null for keys that have no own picture. */
const ownPicture = (key) => (MOODS[key] ? faceSvg(MOODS[key]) : null);

/**
 * The picture for a symbol key. Always decorative (alt=""): the word beside it is the name.
 * An OpenMoji file that fails to load (removed from the server, not cached) becomes our own face.
 */
export function picture(key) {
  const entry = setting.enabled && setting.index
    ? setting.index.symbols.find((s) => s.key === key) : null;
  if (!entry) return ownPicture(key);
  const img = h('img', { src: symbolUrl(entry), alt: '', class: 'symbol', width: 72, height: 72,
    draggable: 'false', dataset: { symbol: entry.hex } });
  img.addEventListener('error', () => {
    const own = ownPicture(key);
    if (own) img.replaceWith(own); else img.remove();
  }, { once: true });
  return img;
}
