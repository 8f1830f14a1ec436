// Review prompts due for my scope (GET /api/v1/reviews/due), kept for offline reading.
import { asOf, cachedGet } from '../cache.js';
import { h } from '../ui.js';

export async function render(main) {
  main.append(h('h1', {}, 'Reviews due'));
  const result = await cachedGet('reviews-due', '/api/v1/reviews/due');
  if (!result) { main.append(h('p', {}, 'No saved copy yet. Open this page once while online.')); return; }
  const prompts = result.data || [];
  main.append(asOf(result), prompts.length
    ? h('ul', { class: 'plain', id: 'review-list' }, prompts.map((p) => h('li', { class: 'card' },
      h('h2', {}, p.title), h('p', {}, h('strong', {}, 'Due: '), h('time', { datetime: p.due_date }, p.due_date)),
      p.detail ? h('p', {}, p.detail) : null)))
    : h('p', {}, 'Nothing is due for review.'));
}
