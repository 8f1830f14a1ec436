// The app's one style for the words people read: dates as "Wed 2 Dec 2026" (never ISO), counts
// with proper plurals, and codes turned into the words schools use. Every view formats through
// here so that one screen never says "2026-12-02" beside "2 December".

const DAY = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short',
  year: 'numeric', timeZone: 'UTC' });
const DAY_TIME = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short',
  year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' });

const SCHOOL_DAY = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short',
  year: 'numeric', timeZone: 'Europe/London' });

/**
 * "2026-12-02" -> "Wed 2 Dec 2026". A calendar date has no zone: read it as that day in UTC.
 * An instant ("2026-06-02T23:30:00+00:00") is the day it was at school, in Europe/London.
 */
export function friendlyDate(iso) {
  if (!iso) return '';
  const text = String(iso);
  const instant = text.length > 10;
  const date = new Date(instant ? text : `${text}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return text;
  return (instant ? SCHOOL_DAY : DAY).format(date).replace(/,/g, '');
}

/** An instant (ISO string or milliseconds) as "Wed 2 Dec 2026 15:20", in the school's zone. */
export function friendlyDateTime(value) {
  if (value === null || value === undefined || value === '') return '';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : DAY_TIME.format(date).replace(/,/g, '');
}

/** A <time> element showing the friendly date, with the machine date for assistive tech. */
export function timeEl(h, iso) {
  return h('time', { datetime: String(iso).slice(0, 10) }, friendlyDate(iso));
}

/** plural(1, 'item') -> "1 item"; plural(3, 'child', 'children') -> "3 children". */
export function plural(count, one, many = `${one}s`) {
  return `${count.toLocaleString('en-GB')} ${count === 1 ? one : many}`;
}

// schemas/codes.py SEN_PROVISION, in the words a school uses on its register.
const SEN_WORDS = { N: 'No SEN', K: 'SEN support', E: 'EHC plan' };

/** "K" -> "SEN support"; unknown codes stay as they are rather than vanish. */
export const senWords = (code) => SEN_WORDS[code] || code || '';

/** "Year 3", "Reception", "Nursery 1". */
export function yearWords(yearGroup) {
  const named = { R: 'Reception', N1: 'Nursery 1', N2: 'Nursery 2' };
  return named[yearGroup] || `Year ${yearGroup}`;
}
