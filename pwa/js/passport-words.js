// How the passport editor says things: where a suggestion came from ("From the conversation
// with Ms Hale, Thu 12 Nov 2026"), a computed field's value, and the passport's status line.
import { h } from './ui.js';
import { friendlyDate, friendlyDateTime, senWords } from './words.js';

const MODE_WORDS = { supported: ' (with an adult helping)', proxy: ' (an adult speaking for the pupil)' };

/** "From pupil voice, Mon 23 Nov 2026" or "From the conversation with Ms Hale, Thu 12 Nov 2026". */
export function sourceWords(s) {
  const when = friendlyDate(s.date);
  if (s.kind === 'conversation') {
    const who = s.with && s.with.length ? s.with.join(' and ') : 'the parents';
    return `From the conversation with ${who}, ${when}`;
  }
  return `From pupil voice${MODE_WORDS[s.mode] || ''}, ${when}`;
}

/** "Asked: “What do you enjoy?” · recorded by Sam Lee" */
export function askedWords(s) {
  const parts = [];
  if (s.question) parts.push(`Asked: “${s.question}”`);
  if (s.author) parts.push(`recorded by ${s.author}`);
  return parts.join(' · ');
}

// A support line as the print has it, a target by its wording and review date.
function itemText(item) {
  if (typeof item === 'string') return item;
  if (item.intervention) {
    const since = item.since ? `, since ${friendlyDate(item.since)}` : '';
    // The group's name usually says the intervention already: say it once.
    const name = item.group.toLowerCase().includes(item.intervention.toLowerCase()) ? item.group
      : `${item.intervention} (${item.group})`;
    return `${name}: ${item.frequency}${since}`;
  }
  const review = item.review_date ? ` (review ${friendlyDate(item.review_date)})` : '';
  return `${item.text || item.label || '—'}${review}`;
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A computed field (name, date of birth, targets ...) as read-only words. */
export function computedValue(name, f) {
  if (Array.isArray(f.items)) {
    return f.items.length ? h('ul', { class: 'list' }, f.items.map((item) => h('li', {}, itemText(item))))
      : h('p', {}, 'None recorded.');
  }
  const v = f.value;
  if (name === 'sen_status' && f.since) return h('p', {}, `${senWords(f.code)} since ${friendlyDate(f.since)}`);
  if (v === null || v === undefined || v === '') return h('p', {}, 'Not recorded.');
  if (name === 'photo') return h('p', {}, v ? 'Consent given' : 'No consent: no photo');
  if (typeof v === 'string' && ISO_DAY.test(v)) return h('p', {}, friendlyDate(v));
  return h('p', {}, String(v));
}

/** "Last changed by Sam Lee, Thu 3 Dec 2026 10:15", or nothing for a field never written. */
export function editedWords(f) {
  return f.edited_by ? `Last changed by ${f.edited_by}, ${friendlyDateTime(f.edited_at)}` : 'Not written yet.';
}

/** The status line: "Draft", "Agreed Thu 3 Dec 2026", and the sharing facts. */
export function statusFacts(p) {
  const facts = [p.status === 'agreed' ? `Agreed ${friendlyDate(p.agreed_on)}`
    : `Draft${p.agreed_on ? ` (last agreed ${friendlyDate(p.agreed_on)})` : ': not agreed yet'}`];
  facts.push(p.shared_with_parent_on ? `Shared with the parent ${friendlyDate(p.shared_with_parent_on)}`
    : 'Not shared with the parent yet');
  if (p.shared_with_parent_on) {
    facts.push(p.parent_acknowledged_on ? `Parent acknowledged ${friendlyDate(p.parent_acknowledged_on)}`
      : 'No acknowledgement from the parent yet');
  }
  return facts;
}
