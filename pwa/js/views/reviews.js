// Review prompts due for my scope (GET /api/v1/reviews/due), kept for offline reading. Dates read
// in the app's one style; a prompt about a pupil links to the pupil's page.
import * as db from '../db.js';
import { asOf, cachedGet } from '../cache.js';
import { h, personName } from '../ui.js';
import { friendlyDate, timeEl } from '../words.js';

// The server words its details with ISO dates ("due for review on 2026-10-23") and "(s)" plurals:
// read them as the rest of the app does.
const friendlyText = (text) => text
  .replace(/\b\d{4}-\d{2}-\d{2}\b/g, (iso) => friendlyDate(iso))
  .replace(/\b(\d+) ((?:[a-z]+ )*?)([a-z]+)\(s\)/g, (all, n, words, noun) => `${n} ${words}${n === '1' ? noun : `${noun}s`}`);

export async function render(main) {
  main.append(h('h1', {}, 'Reviews due'));
  const result = await cachedGet('reviews-due', '/api/v1/reviews/due');
  if (!result) { main.append(h('p', {}, 'No saved copy yet. Open this page once while online.')); return; }
  const prompts = result.data || [];
  const pupils = new Map((await db.getRecords('pupil')).map((p) => [p.id, p]));
  const pupilLine = (id) => (pupils.has(id) ? h('p', {}, h('strong', {}, 'Pupil: '),
    h('a', { class: 'pupil-link', href: `#/pupil-page/${id}` }, personName(pupils.get(id)))) : null);
  main.append(asOf(result), prompts.length
    ? h('ul', { class: 'plain', id: 'review-list' }, prompts.map((p) => h('li', { class: 'card' },
      h('h2', {}, friendlyText(p.title)), pupilLine(p.pupil_id),
      h('p', {}, h('strong', {}, 'Due: '), timeEl(h, p.due_date)),
      p.detail ? h('p', {}, friendlyText(p.detail)) : null)))
    : h('p', {}, 'Nothing is due for review.'));
}
