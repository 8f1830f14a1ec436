// Reviews as a to-do list, "#/reviews": what is due for the groups and pupils I work with,
// grouped by pupil or by group, each naming the pupil, with its due date in words, a link to the
// place it is done, and "Done", "Snooze until…" or "Not needed, because…" (kept on the server for
// everyone). Dealt-with prompts fold away below with an undo. The saved copy reads offline.
import * as db from '../db.js';
import { asOf, cachedGet } from '../cache.js';
import { send } from '../forms.js';
import { addDays, decisionWords, promptItem } from '../review-item.js';
import { announce, choices, h, londonToday, personName } from '../ui.js';
import { plural, yearWords } from '../words.js';

let grouping = 'pupil';

const SOON_DAYS = 28;  // the to-do list proper: overdue and due within four weeks; the rest folds away

function sections(prompts, pupils, groups) {
  const buckets = new Map();
  for (const p of prompts) {
    const byPupil = grouping === 'pupil';
    const id = byPupil ? p.pupil_id : p.group_id;
    const key = id ? `${grouping}:${id}` : 'rest';
    if (!buckets.has(key)) {
      let title = byPupil ? 'Whole groups' : 'About one pupil, not a group';
      if (id && byPupil) title = pupils.has(id) ? `${personName(pupils.get(id))} · ${yearWords(pupils.get(id).year_group)}` : 'A pupil';
      if (id && !byPupil) title = groups.has(id) ? groups.get(id).name : 'A group';
      buckets.set(key, { key, title, prompts: [] });
    }
    buckets.get(key).prompts.push(p);
  }
  // The most urgent first; the catch-all section last.
  return [...buckets.values()].sort((a, b) => (a.key === 'rest') - (b.key === 'rest')
    || a.prompts[0].due_date.localeCompare(b.prompts[0].due_date) || a.title.localeCompare(b.title));
}

function summary(prompts, soon) {
  const today = londonToday();
  const late = prompts.filter((p) => p.due_date < today).length;
  if (!prompts.length) return 'Nothing to do: every review prompt is done, snoozed or not needed.';
  const parts = [late ? `${late} overdue` : null, soon.length - late ? `${soon.length - late} due in the next four weeks` : null,
    prompts.length - soon.length ? `${prompts.length - soon.length} later` : null].filter(Boolean);
  return `${plural(prompts.length, 'thing')} to do: ${parts.join(', ')}.`;
}

function listOf(prompts, pupils, groups, itemOpts, id) {
  return h('div', { id }, sections(prompts, pupils, groups).map((s) => h('section', { class: 'review-section' },
    h('h2', {}, s.title, h('span', { class: 'muted' }, ` · ${s.prompts.length} to do`)),
    h('ul', { class: 'plain' }, s.prompts.map((p) => promptItem(p, { ...itemOpts, grouping }))))));
}

function dealtWith(decided, pupils, reload) {
  if (!decided.length) return null;
  return h('details', { class: 'dealt-with', id: 'dealt-with' },
    h('summary', { class: 'button secondary' }, `Dealt with (${decided.length})`),
    h('ul', { class: 'plain' }, decided.map((p) => h('li', { class: 'card' }, h('h3', {}, p.title),
      p.pupil_id && pupils.has(p.pupil_id) ? h('p', {}, `Pupil: ${personName(pupils.get(p.pupil_id))}`) : null,
      h('p', {}, decisionWords(p.decision)),
      navigator.onLine ? h('button', { type: 'button', class: 'button secondary', onclick: async () => {
        const { error } = await send('DELETE', `/api/v1/reviews/decisions/${p.decision.id}`);
        if (error) { announce(error.message, 'warn'); return; }
        reload('Undone: it is back on the list.');
      } }, 'Undo') : null))));
}

export async function render(main, ctx) {
  main.classList.add('casework');
  main.append(h('h1', {}, 'Reviews to do'));
  const [todo, all] = await Promise.all([cachedGet('reviews-due', '/api/v1/reviews/due'),
    cachedGet('reviews-all', '/api/v1/reviews/due?include_decided=true')]);
  if (!todo) { main.append(h('p', { class: 'panel' }, 'No saved copy yet. Open this page once while online.')); return; }
  const pupils = new Map((await db.getRecords('pupil')).map((p) => [p.id, p]));
  const groups = new Map((await db.getRecords('group')).map((g) => [g.id, g]));
  const prompts = todo.data || [];
  const waiting = new Set(prompts.map((p) => p.key));
  const decided = ((all && all.data) || []).filter((p) => p.decision && !waiting.has(p.key));
  const online = navigator.onLine && todo.fresh;
  const reload = (message) => { announce(message); ctx.go('reviews'); };
  const horizon = addDays(londonToday(), SOON_DAYS);
  const soon = prompts.filter((p) => p.due_date <= horizon);
  const later = prompts.filter((p) => p.due_date > horizon);
  const itemOpts = { pupils, online, onDecided: reload };
  const area = h('div');
  const draw = () => area.replaceChildren(...[
    soon.length ? listOf(soon, pupils, groups, itemOpts, 'review-list')
      : h('p', { id: 'review-list' }, prompts.length ? 'Nothing is overdue or due in the next four weeks.' : ''),
    later.length ? h('details', { class: 'later', id: 'review-later' },
      h('summary', { class: 'button secondary' }, `Due later (${later.length})`),
      listOf(later, pupils, groups, itemOpts, 'review-later-list')) : null].filter(Boolean));
  main.append(...[asOf(todo), h('p', { class: 'panel', id: 'review-summary' }, summary(prompts, soon)),
    online ? null : h('p', { class: 'panel notice' }, 'Offline: this is the saved copy. Marking things done needs a connection.'),
    prompts.length ? choices('Group the list by', 'review-grouping', [{ value: 'pupil', label: 'Pupil' },
      { value: 'group', label: 'Group' }], grouping, (value) => { grouping = value; draw(); }) : null,
    area, dealtWith(decided, pupils, reload),
    h('div', { class: 'button-row' }, h('a', { class: 'button secondary', href: '#/home' }, 'Back to home'))]
    .filter(Boolean));
  draw();
}
