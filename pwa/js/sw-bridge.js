// Register the service worker and handle updates without traps: a new version waits until the
// user agrees AND the outbox is empty, because swapping code under unsynced work is how queued
// records get stranded. Only then do we post 'skip-waiting' and reload once it takes control.
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
      message.textContent = `Your ${unsynced} unsynced item(s) must sync before updating. `
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

export async function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  const hadController = Boolean(navigator.serviceWorker.controller);
  let registration;
  try {
    registration = await navigator.serviceWorker.register('/sw.js', { scope: '/' });
  } catch {
    return;  // e.g. private browsing: the app still works online
  }
  // Reload once the new worker controls the page, but not on the very first install.
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (hadController) location.reload();
  });
  if (registration.waiting && hadController) showPrompt(registration.waiting);
  registration.addEventListener('updatefound', async () => {
    const worker = await waitInstalled(registration.installing);
    if (hadController) showPrompt(worker);
  });
}
