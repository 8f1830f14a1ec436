// Register the service worker and handle updates without traps: a new version waits until the
// user agrees AND the outbox is empty, because swapping code under unsynced work is how queued
// records get stranded. Only then do we post 'skip-waiting' and reload once it takes control.
import { plural } from './words.js';
import { counts, sync } from './outbox.js';
import { h } from './ui.js';

/** Resolve when a worker reaches the 'installed' (waiting) state. */
function waitInstalled(worker) {
  return new Promise((resolve) => {
    if (worker.state === 'installed') return resolve(worker);
    worker.addEventListener('statechange', () => { if (worker.state === 'installed') resolve(worker); });
  });
}

function showPrompt(waiting) {
  const banner = document.getElementById('update-banner');
  const message = h('p', {}, 'An update is available.');
  const button = h('button', { type: 'button', class: 'button', onclick: async () => {
    await sync({ force: true });
    const { unsynced } = await counts();
    if (unsynced) {
      message.textContent = `${plural(unsynced, 'record')} must reach the server before updating. `
        + 'Connect to the internet and press "Sync now"; you can keep working meanwhile.';
      return;
    }
    message.textContent = 'Updating…';
    waiting.postMessage('skip-waiting');
  } }, 'Update now');
  const later = h('button', { type: 'button', class: 'button secondary',
    onclick: () => { banner.hidden = true; } }, 'Later');
  banner.replaceChildren(message, button, later);
  banner.hidden = false;
}

/** The VERSION of the worker controlling this page, or null (none yet, or it did not answer). */
export function workerVersion() {
  const worker = navigator.serviceWorker && navigator.serviceWorker.controller;
  if (!worker) return Promise.resolve(null);
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => resolve(event.data);
    worker.postMessage('version', [channel.port2]);
    setTimeout(() => resolve(null), 2000);
  });
}

export async function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  let registration;
  try {
    registration = await navigator.serviceWorker.register('/sw.js', { scope: '/' });
  } catch {
    return;  // e.g. private browsing: the app still works online
  }
  // Reload when a NEW worker takes over from an old one, but not when the very first worker
  // claims the page. Tracked as it happens rather than once at load: a tab opened before the
  // first install must still pick up later updates (it used to ignore them until a reload).
  let controlled = Boolean(navigator.serviceWorker.controller);
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (controlled) location.reload();
    controlled = true;
  });
  // A waiting worker with no controller is the first install still activating: nothing to ask.
  if (registration.waiting && navigator.serviceWorker.controller) showPrompt(registration.waiting);
  registration.addEventListener('updatefound', async () => {
    const worker = await waitInstalled(registration.installing);
    if (navigator.serviceWorker.controller) showPrompt(worker);
  });
  // Tablets stay open for days: look for a new version whenever the app comes back into view.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && navigator.onLine) registration.update().catch(() => {});
  });
}
