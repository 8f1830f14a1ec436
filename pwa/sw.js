// The service worker: listeners only, with the caching strategies as named functions below.
// Classic script (no modules in service workers everywhere yet). The server replaces the VERSION
// line with a hash of the app files, so any change to the shell makes a new 'static-<hash>' cache.
const VERSION = 'dev';
const STATIC_CACHE = 'static-' + VERSION;
// Optional OpenMoji pictures, installed on the server at set-up (server/symbols.py). Kept apart
// from the shell: not in its byte budget, and their absence must never fail an install.
const SYMBOLS_CACHE = 'symbols-' + VERSION;
const SYMBOLS_INDEX = '/symbols/openmoji/index.json';
const EXPECTED_CACHES = [STATIC_CACHE, SYMBOLS_CACHE];

// The app shell. tests/browser/test_shell.py checks this list against the files in pwa/.
const ASSETS = [
  '/',
  '/app.css',
  '/manifest.webmanifest',
  '/icons/icon-192.png',
  '/icons/icon-512.png',
  '/js/api.js',
  '/js/cache.js',
  '/js/chart.js',
  '/js/app.js',
  '/js/db.js',
  '/js/describe.js',
  '/js/drawing.js',
  '/js/entries.js',
  '/js/export.js',
  '/js/lists.js',
  '/js/outbox.js',
  '/js/photos.js',
  '/js/pupil-grant.js',
  '/js/views/data-access.js',
  '/js/views/security.js',
  '/js/questions.js',
  '/js/records.js',
  '/js/older.js',
  '/js/older-list.js',
  '/js/state.js',
  '/js/sw-bridge.js',
  '/js/symbols.js',
  '/js/sync.js',
  '/js/ui.js',
  '/js/check.js',
  '/js/limits.js',
  '/js/words.js',
  '/js/views/conversation.js',
  '/js/views/credits.js',
  '/js/views/home.js',
  '/js/views/login.js',
  '/js/views/passport.js',
  '/js/views/provision.js',
  '/js/views/trust.js',
  '/js/forms.js',
  '/js/measure-input.js',
  '/js/provision-words.js',
  '/js/views/groups.js',
  '/js/views/group.js',
  '/js/views/group-end.js',
  '/js/views/group-edit.js',
  '/js/views/enrol.js',
  '/js/views/enrolment.js',
  '/js/views/interventions.js',
  '/js/views/intervention-edit.js',
  '/js/views/provision-groups.js',
  '/js/views/provision-rollup.js',
  '/js/views/pupil-page.js',
  '/js/views/pupil-pin.js',
  '/js/views/pupil.js',
  '/js/views/quarantine.js',
  '/js/views/record.js',
  '/js/views/record-server.js',
  '/js/views/mis.js',
  '/js/views/reviews.js',
  '/js/views/session.js',
  '/js/views/status.js',
  '/js/views/voice.js',
  '/js/views/walk.js',
  '/js/passport-words.js',
  '/js/passport-field.js',
  '/js/passport-status.js',
  '/js/concern-alert.js',
  '/js/review-item.js',
  '/js/views/concerns.js',
  '/js/views/concern.js',
  '/js/views/audit.js',
  '/js/settings.js',
  '/js/views/staff.js',
  '/js/views/staff-edit.js',
  '/js/views/staff-account.js',
  '/js/views/terms.js',
  '/js/views/password.js',
  '/js/views/forms.js',
  '/js/views/form.js',
  '/js/views/form-edit.js',
  '/js/form-draft.js',
  '/js/form-cards.js',
  '/js/form-preview.js',
];

self.addEventListener('install', (event) => {
  // No skipWaiting here: a new version waits until the page says the outbox is empty.
  event.waitUntil(Promise.all([precache(), precacheSymbols()]));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(Promise.all([cleanupCaches(), self.clients.claim()]));
});

self.addEventListener('message', (event) => {
  // Sent by js/sw-bridge.js only after the user agreed and nothing is waiting to sync.
  if (event.data === 'skip-waiting') self.skipWaiting();
  // The Sync status screen shows which version this device runs (support asks first).
  if (event.data === 'version' && event.ports[0]) event.ports[0].postMessage(VERSION);
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== location.origin) return;
  // The API always goes to the network: the outbox, not the cache, handles being offline.
  if (url.pathname.startsWith('/api/')) return;
  // We only care about GET from here on in.
  if (event.request.method !== 'GET') return;
  if (url.pathname.startsWith('/symbols/')) {
    event.respondWith(symbolOrNetwork(event.request));
    return;
  }
  if (event.request.mode === 'navigate') {
    event.respondWith(cacheOrNetwork(new Request('/')));
    return;
  }
  event.respondWith(cacheOrNetwork(event.request));
});

/** Fetch every shell file fresh (bypassing the HTTP cache) into this version's cache. */
async function precache() {
  const cache = await caches.open(STATIC_CACHE);
  await cache.addAll(ASSETS.map((path) => new Request(path, { cache: 'reload' })));
}

/** Best effort: the server may have no symbols (a fresh clone), or be unreachable. */
async function precacheSymbols() {
  try {
    const response = await fetch(SYMBOLS_INDEX, { cache: 'reload' });
    if (!response.ok) return;
    const index = await response.clone().json();
    const cache = await caches.open(SYMBOLS_CACHE);
    await cache.put(SYMBOLS_INDEX, response);
    await cache.addAll(index.symbols.map((s) => new Request(`/symbols/openmoji/${s.hex}.svg`, { cache: 'reload' })));
  } catch { /* pupil mode then uses the app's own faces */ }
}

/** Pictures cache first, their index network first; what the server has is kept for offline. */
async function symbolOrNetwork(request) {
  const cache = await caches.open(SYMBOLS_CACHE);
  const cached = await cache.match(request, { ignoreSearch: true });
  if (cached && !request.url.endsWith('.json')) return cached;
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response.ok || !cached ? response : cached;
  } catch (err) {
    if (cached) return cached;
    throw err;
  }
}

/** Delete every cache that is not this version's. */
async function cleanupCaches() {
  const names = await caches.keys();
  await Promise.all(names.filter((n) => !EXPECTED_CACHES.includes(n)).map((n) => caches.delete(n)));
}

/** Cache first (the shell is versioned as a whole), falling back to the network. */
async function cacheOrNetwork(request) {
  const cached = await caches.match(request, { cacheName: STATIC_CACHE, ignoreSearch: true });
  return cached || fetch(request);
}
