// The provision code lists in the words a school uses (from schemas/codes.py, through the
// generated js/limits.js, so there is one list): areas of need, measures, funding, outcomes,
// weekdays; and money and schedules as people say them.
import { LIMITS } from './limits.js';
import { friendlyDate, plural } from './words.js';

export const WORDS = LIMITS.provision.words;
export const RULES = LIMITS.provision;

const pick = (list, code) => (code ? list[code] || code : '');
export const areaWords = (code) => pick(WORDS.areas, code);
export const measureWords = (code) => pick(WORDS.measure_types, code);
export const fundingWords = (code) => pick(WORDS.funding_sources, code);
export const outcomeWords = (code) => pick(WORDS.outcomes, code);
// The week's order, not the generated file's alphabetical one.
export const DAY_CODES = ['mon', 'tue', 'wed', 'thu', 'fri'].filter((d) => d in WORDS.weekdays);

// Best first, as a SENCO reads them (the generated file lists them alphabetically).
export const OUTCOME_CODES = ['met', 'partly_met', 'not_met', 'stopped'].filter((o) => o in WORDS.outcomes);

// What one measurement is called on a form: "Entry score", "Exit reading age".
const NOUNS = { standardised_score: 'score', reading_age: 'reading age', sub_level: 'sub-level',
  leuven: 'Leuven levels', custom_scale: 'score', qualitative: 'note' };
export const measureNoun = (measure) => NOUNS[measure] || 'data';

/** Entry or exit data in words, as the provision map says it (schemas/measures.py describe). */
export function dataWords(measure, data) {
  if (!data) return '';
  if (measure === 'standardised_score') return `Score ${data.score}`;
  if (measure === 'reading_age') return `Reading age ${plural(data.years, 'year')}${data.months ? ` ${plural(data.months, 'month')}` : ''}`;
  if (measure === 'sub_level') return `Level ${data.level}`;
  if (measure === 'leuven') return `Wellbeing ${data.wellbeing}, Involvement ${data.involvement}`;
  if (measure === 'custom_scale') {
    const value = data.value ?? data.score;
    const max = data.max ?? data.out_of;
    return max === undefined ? String(value) : `${value} out of ${max}`;
  }
  return data.note || '';
}

/** ["mon", "wed"] -> "Mondays and Wednesdays". */
export function daysWords(days) {
  if (!days || !days.length) return '';
  const names = DAY_CODES.filter((d) => days.includes(d)).map((d) => `${WORDS.weekdays[d]}s`);
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : names[0];
}

/** 1450 -> "£14.50"; 0 -> "£0.00". */
export const money = (p) => (p === null || p === undefined ? '' : `£${(p / 100).toFixed(2)}`);

/** "3 × 30 minutes a week on Mondays, Wednesdays and Fridays, for 10 weeks from Mon 28 Sep 2026". */
export function scheduleWords(group) {
  const days = daysWords(group.days);
  return `${group.sessions_per_week} × ${group.minutes_per_session} minutes a week`
    + `${days ? ` on ${days}` : ''}, for ${plural(group.weeks, 'week')} from ${friendlyDate(group.start_date)}`;
}

/** The group's name, and the intervention only when the name does not already say it. */
export function groupTitle(groupName, interventionName) {
  if (!interventionName || groupName.toLowerCase().includes(interventionName.toLowerCase())) return groupName;
  return `${groupName} (${interventionName})`;
}
