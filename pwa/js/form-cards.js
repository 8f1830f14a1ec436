// One question of a school form in the builder: its words, its type with the words and shapes
// people will see, its answers, and buttons to move or remove it (every target 44 px or more).
import { FACES3, FACES5, RAG, faceSvg, field, h, input, select, textarea } from './ui.js';
import { isLocked, localKey, sectionMode, TYPE_WORDS, TYPES } from './form-draft.js';

/** What the people answering see for a type: never colour alone, always words and shapes. */
export function scaleStrip(q) {
  const item = (icon, words, cls = '') => h('li', { class: cls }, icon, h('span', {}, words));
  const glyph = (g) => h('span', { class: 'glyph', 'aria-hidden': 'true' }, g);
  const lists = {
    faces5: () => FACES5.map((w, i) => item(faceSvg(i + 1), w)),
    faces3: () => FACES3.map((w, i) => item(faceSvg(i + 2), w)),
    rag: () => RAG.map((r) => item(glyph(r.glyph), r.word, `rag-${r.value}`)),
    boolean: () => [item(null, 'Yes'), item(null, 'No')],
    scale: () => Array.from({ length: q.max - q.min + 1 }, (_, i) => item(null, String(q.min + i))),
  };
  if (!lists[q.type]) return null;
  return h('div', { class: 'scale-strip' }, h('span', { class: 'hint' }, 'People see: '),
    h('ul', { class: 'strip' }, lists[q.type]()));
}

/** A prompt as people read it: "{intervention}" stands for the group's intervention. */
export const promptWords = (prompt) => (prompt || '').replaceAll('{intervention}', '[the intervention]');

export function conditionWords(q, questions) {
  if (!q.show_if) return null;
  const earlier = questions.find((o) => o.id === q.show_if.question);
  if (!earlier) return 'Asked only after an answer to a question that is no longer in this form.';
  const words = q.show_if.in.map((v) => (earlier.options || []).find((o) => o.value === v)?.label
    || { true: 'Yes', false: 'No' }[v] || String(v));
  return `Asked only when “${promptWords(earlier.prompt)}” is answered ${words.map((w) => `“${w}”`).join(' or ')}.`;
}

function markers(q, questions) {
  const notes = [
    (q.tags || []).includes('safeguarding') ? ['▲', 'Safeguarding: a worried or unsafe answer goes to the safeguarding lead, and only they and the SENCO read the answers.'] : null,
    conditionWords(q, questions) ? ['●', conditionWords(q, questions)] : null,
  ].filter(Boolean);
  return notes.length ? h('ul', { class: 'markers' }, notes.map(([g, words]) =>
    h('li', { class: 'marker' }, h('span', { 'aria-hidden': 'true' }, `${g} `), words))) : null;
}

function optionsEditor(q, number, onChange, redraw) {
  const rows = q.options.map((o, i) => h('div', { class: 'option-row' },
    field(`Answer ${i + 1}`, input({ value: o.label || '', name: `option-${q._key}-${i}`,
      oninput: (e) => { o.label = e.target.value; onChange(); } })),
    h('button', { type: 'button', class: 'button secondary', onclick: () => {
      q.options.splice(i, 1); onChange(); redraw(`add-option-${q._key}`);
    } }, h('span', { class: 'visually-hidden' }, `Question ${number}: `), `Remove answer ${i + 1}`)));
  return h('fieldset', { class: 'options' }, h('legend', {}, 'Answers to choose from'), rows,
    h('button', { type: 'button', class: 'button secondary', id: `add-option-${q._key}`, onclick: () => {
      q.options.push({ value: null, label: '', _key: localKey() }); onChange();
      redraw(`option-${q._key}-${q.options.length - 1}`);
    } }, h('span', { class: 'visually-hidden' }, `Question ${number}: `), 'Add an answer'));
}

function numberBounds(q, onChange) {
  const bound = (key, label) => field(label, input({ type: 'number', step: 'any', inputmode: 'decimal',
    name: `${key}-${q._key}`, value: q[key] ?? '', oninput: (e) => {
      q[key] = e.target.value === '' ? undefined : Number(e.target.value); onChange();
    } }));
  return h('div', { class: 'grid' }, bound('min', 'Smallest allowed (optional)'), bound('max', 'Largest allowed (optional)'));
}

/** The line a folded question shows: its number, words and type. */
function summaryWords(q, number) {
  const bits = [TYPE_WORDS[q.type] || q.type, q.required ? 'an answer is needed' : null].filter(Boolean);
  return [h('span', { class: 'q-number' }, `Question ${number}: `),
    h('span', { class: 'q-prompt' }, promptWords(q.prompt).trim() || 'no words yet'),
    h('span', { class: 'hint q-type' }, bits.join(' · '))];
}

/**
 * A card: the question folded to one line (open when new or when it has a problem), with its
 * buttons always in view. ctx: {section, index (in section), number (in form), last, questions
 * (whole form), open, onChange() after a typed change, redraw(focusIds) after a structural one,
 * move(delta), remove()}.
 */
export function questionCard(q, ctx) {
  const { section, number, redraw } = ctx;
  const summary = h('summary', { id: `q-${q._key}`, class: 'q-summary' }, summaryWords(q, number));
  const onChange = () => { summary.replaceChildren(...summaryWords(q, number)); ctx.onChange(); };
  const errors = h('div', { class: 'card-errors', id: `errors-${q._key}` });
  const label = (words) => [h('span', { class: 'visually-hidden' }, `Question ${number}: `), words];
  const moves = [
    ctx.index > 0 ? h('button', { type: 'button', class: 'button secondary', id: `up-${q._key}`,
      onclick: () => ctx.move(-1) }, label('Move up')) : null,
    !ctx.last ? h('button', { type: 'button', class: 'button secondary', id: `down-${q._key}`,
      onclick: () => ctx.move(1) }, label('Move down')) : null,
  ];
  if (isLocked(q, section)) {
    return h('li', { class: 'card question-card locked', dataset: { key: q._key } },
      h('details', { open: ctx.open, ontoggle: (e) => ctx.onToggle?.(e.target.open) }, summary, h('p', { class: 'hint' }, 'The app asks this in its own screen and files the answer '
        + 'in the record’s own field, so it stays as it is.')),
      errors);
  }
  const lookFor = sectionMode(section) === 'look-fors';
  const known = TYPES.some(([v]) => v === q.type);
  const typeSelect = lookFor || !known ? null : select({ name: `type-${q._key}`, id: `type-${q._key}` }, TYPES, q.type);
  typeSelect?.addEventListener('change', () => {
    q.type = typeSelect.value;
    if (q.type === 'choice' && !q.options) q.options = [{ value: null, label: '' }, { value: null, label: '' }];
    ctx.onChange();
    redraw(`type-${q._key}`);
  });
  const required = h('input', { type: 'checkbox', id: `required-${q._key}`, checked: Boolean(q.required),
    onchange: (e) => { q.required = e.target.checked; onChange(); } });
  return h('li', { class: 'card question-card', dataset: { key: q._key } },
    h('details', { open: ctx.open, ontoggle: (e) => ctx.onToggle?.(e.target.open) }, summary, h('div', { class: 'q-body' },
      field(lookFor ? 'What to look for' : 'Question', textarea({ rows: 2, id: `prompt-${q._key}`, name: `prompt-${q._key}`,
        value: q.prompt || '', oninput: (e) => { q.prompt = e.target.value; onChange(); } })),
      (q.prompt || '').includes('{intervention}') ? h('p', { class: 'hint' },
        '“{intervention}” becomes the name of the intervention the record is about.') : null,
      typeSelect ? field('Type of answer', typeSelect) : h('p', {}, h('strong', {}, 'Type of answer: '),
        lookFor ? 'Red, amber, green at every stop' : TYPE_WORDS[q.type] || q.type),
      scaleStrip(q),
      q.type === 'choice' || q.type === 'multichoice' ? optionsEditor(q, number, ctx.onChange, redraw) : null,
      q.type === 'number' ? numberBounds(q, ctx.onChange) : null,
      q.type === 'photo' ? h('p', { class: 'hint' }, 'Staff take or choose up to 10 photos. No pupil faces without consent.') : null,
      lookFor ? null : h('div', { class: 'field check' }, h('label', { for: required.id }, required, 'An answer is needed')),
      field('Help for staff (optional)', input({ name: `help-${q._key}`, value: q.help || '',
        oninput: (e) => { q.help = e.target.value; ctx.onChange(); } })),
      markers(q, ctx.questions))),
    errors,
    h('div', { class: 'button-row' }, moves, h('button', { type: 'button', class: 'button secondary', id: `remove-${q._key}`,
      onclick: () => ctx.remove() }, label('Remove'))));
}
