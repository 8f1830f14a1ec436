// The home screen's safeguarding block, for the SENCO and designated safeguarding leads: how many
// concerns are open and whether any has waited more than a day. Counts only (no pupil, no
// content), online only, and never holds the home screen up for long.
import { request } from './api.js';
import { h } from './ui.js';
import { plural } from './words.js';

const WAIT_MS = 2000;

export const readsSafeguarding = (staff) => Boolean(staff && (staff.role === 'senco' || staff.is_dsl));

/** The block, or null when there is nothing open, no connection, or no answer in time. */
export async function concernAlert(staff) {
  if (!readsSafeguarding(staff) || !navigator.onLine) return null;
  const summary = await Promise.race([request('GET', '/api/v1/concerns/summary').catch(() => null),
    new Promise((resolve) => { setTimeout(() => resolve(null), WAIT_MS); })]);
  if (!summary || !summary.open) return null;
  const late = summary.waiting_over_a_day;
  return h('section', { class: `panel concern-alert${late ? ' late' : ''}`, id: 'concern-alert',
    'aria-labelledby': 'concern-alert-heading' },
  h('h2', { id: 'concern-alert-heading' }, late ? h('span', { 'aria-hidden': 'true' }, '▲ ') : null, 'Safeguarding'),
  h('p', {}, late
    ? `${plural(late, 'concern has', 'concerns have')} been open for more than a day.`
    : `${plural(summary.open, 'open concern')}, raised in the last day.`,
  late && summary.open > late ? ` ${plural(summary.open, 'concern is', 'concerns are')} open in all.` : ''),
  h('a', { class: 'button', href: '#/concerns', id: 'concern-alert-link' }, 'Open the concerns'));
}
