// Entry and exit data typed by the intervention's measure (FORMS.md §2, schemas/measures.py):
// the inputs for one measure, read back as the object the server stores, checked first with the
// server's own ranges (LIMITS.provision.measures, generated from schemas/measures.py).
import { LIMITS } from './limits.js';
import { formField, formGroup } from './forms.js';
import { choices, checked, h, input, nextId, textarea } from './ui.js';

const M = LIMITS.provision.measures;
const LEVEL_PATTERN = new RegExp(M.sub_level);
export const LEVELS = ['1', '2', '3', '4', '5', '6', '7', '8'].flatMap((n) => ['c', 'b', 'a'].map((l) => `${n}${l}`));
// The Leuven scales' own words for 1-5 (Laevers).
export const LEUVEN_WORDS = ['Extremely low', 'Low', 'Moderate', 'High', 'Extremely high'];

const numberInput = (name, value, [min, max], step = '1') => input({ type: 'number', name, inputmode: 'decimal',
  min: String(min), max: String(max), step, value: value ?? '' });
const read = (el) => (el.value.trim() === '' ? null : Number(el.value));
const whole = (n, [lo, hi]) => Number.isInteger(n) && n >= lo && n <= hi;

/**
 * The inputs for one measure. prefix: "entry_data" or "exit_data" (the server's field, so its
 * refusal lands beside the right input). Returns {element, read(required)} where read gives
 * {data, problems: [[field, message]]}; data is null when nothing was typed.
 */
export function measureInput(measure, prefix, legend, value = {}) {
  const v = value || {};
  const builders = { standardised_score: score, reading_age: readingAge, sub_level: subLevel, leuven,
    custom_scale: custom, qualitative };
  return (builders[measure] || qualitative)(prefix, legend, v);
}

function score(prefix, legend, v) {
  const el = numberInput('score', v.score, M.score);
  return {
    element: formField(legend, el, { name: `${prefix}.score`, hint: `A standardised score from ${M.score[0]} to ${M.score[1]}.` }),
    read(required) {
      const n = read(el);
      if (n === null) return { data: null, problems: required ? [[`${prefix}.score`, `${legend} is needed.`]] : [] };
      const ok = Number.isFinite(n) && n >= M.score[0] && n <= M.score[1];
      return { data: { score: n }, problems: ok ? [] : [[`${prefix}.score`, `${legend} must be a score from ${M.score[0]} to ${M.score[1]}.`]] };
    },
  };
}

function readingAge(prefix, legend, v) {
  const years = numberInput('years', v.years, M.reading_years);
  const months = numberInput('months', v.months, M.reading_months);
  return {
    element: formGroup(legend, h('div', { class: 'grid pair' },
      formField('Years', years, { name: `${prefix}.years` }),
      formField('Months', months, { name: `${prefix}.months`, hint: `0 to ${M.reading_months[1]}` })),
    { name: prefix }),
    read(required) {
      const y = read(years);
      const m = read(months);
      if (y === null && m === null) return { data: null, problems: required ? [[`${prefix}.years`, `${legend} is needed.`]] : [] };
      const problems = [];
      if (!whole(y, M.reading_years)) problems.push([`${prefix}.years`, `${legend}: years must be a whole number from ${M.reading_years[0]} to ${M.reading_years[1]}.`]);
      if (!whole(m ?? 0, M.reading_months)) problems.push([`${prefix}.months`, `${legend}: months must be a whole number from 0 to ${M.reading_months[1]}.`]);
      return { data: { years: y, months: m ?? 0 }, problems };
    },
  };
}

function subLevel(prefix, legend, v) {
  const el = h('select', { name: 'level' }, h('option', { value: '' }, 'Choose a sub-level'),
    LEVELS.map((l) => h('option', { value: l, selected: l === v.level }, `Level ${l}`)));
  return {
    element: formField(legend, el, { name: `${prefix}.level`, hint: 'Within a level, c is the lowest and a the highest: 2c, 2b, 2a, then 3c.' }),
    read(required) {
      if (!el.value) return { data: null, problems: required ? [[`${prefix}.level`, `${legend} is needed.`]] : [] };
      return { data: { level: el.value }, problems: LEVEL_PATTERN.test(el.value) ? [] : [[`${prefix}.level`, `${legend}: choose a sub-level.`]] };
    },
  };
}

function leuven(prefix, legend, v) {
  const names = { wellbeing: nextId('wb'), involvement: nextId('inv') };
  const options = LEUVEN_WORDS.map((word, i) => ({ value: i + 1, label: `${i + 1} ${word}` }));
  const box = formGroup(legend, [
    h('div', { dataset: { field: `${prefix}.wellbeing` } }, choices('Well-being', names.wellbeing, options, v.wellbeing)),
    h('div', { dataset: { field: `${prefix}.involvement` } }, choices('Involvement', names.involvement, options, v.involvement)),
  ], { name: prefix, hint: 'The Leuven scales, 1 (extremely low) to 5 (extremely high).', extraClass: 'leuven' });
  return {
    element: box,
    read(required) {
      const wb = checked(box, names.wellbeing);
      const inv = checked(box, names.involvement);
      if (!wb && !inv) return { data: null, problems: required ? [[`${prefix}.wellbeing`, `${legend} is needed: choose well-being and involvement.`]] : [] };
      const problems = [];
      if (!wb) problems.push([`${prefix}.wellbeing`, `${legend}: choose a well-being level.`]);
      if (!inv) problems.push([`${prefix}.involvement`, `${legend}: choose an involvement level.`]);
      return { data: { wellbeing: Number(wb), involvement: Number(inv) }, problems };
    },
  };
}

function custom(prefix, legend, v) {
  const value = input({ type: 'number', name: 'value', inputmode: 'decimal', step: 'any', value: v.value ?? v.score ?? '' });
  const max = input({ type: 'number', name: 'max', inputmode: 'decimal', step: 'any', value: v.max ?? v.out_of ?? '' });
  return {
    element: formGroup(legend, h('div', { class: 'grid pair' },
      formField('Score', value, { name: `${prefix}.value` }),
      formField('Out of (optional)', max, { name: `${prefix}.max` })), { name: prefix }),
    read(required) {
      const n = read(value);
      const top = read(max);
      if (n === null) return { data: null, problems: required ? [[`${prefix}.value`, `${legend} is needed.`]] : [] };
      const problems = [];
      if (!Number.isFinite(n)) problems.push([`${prefix}.value`, `${legend}: the score must be a number.`]);
      if (top !== null && !(top > 0)) problems.push([`${prefix}.max`, `${legend}: "out of" must be a number above 0.`]);
      else if (top !== null && n > top) problems.push([`${prefix}.value`, `${legend}: the score cannot be more than ${top}.`]);
      return { data: top === null ? { value: n } : { value: n, max: top }, problems };
    },
  };
}

function qualitative(prefix, legend, v) {
  const el = textarea({ name: 'note' });
  el.value = v.note || '';  // a textarea's text is its content, not a value attribute
  return {
    element: formField(legend, el, { name: `${prefix}.note`, hint: 'What you see, in a sentence or two.' }),
    read(required) {
      const note = el.value.trim();
      if (!note) return { data: null, problems: required ? [[`${prefix}.note`, `${legend} is needed.`]] : [] };
      const length = [...note].length;
      return { data: { note }, problems: length > M.note_max
        ? [[`${prefix}.note`, `${legend} is too long: ${length.toLocaleString('en-GB')} characters, at most ${M.note_max.toLocaleString('en-GB')}.`]] : [] };
    },
  };
}
