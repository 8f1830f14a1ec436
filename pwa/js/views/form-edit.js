// Build a school form (#/form-edit/<draft key>): a copy of a built-in or the next version of the
// school's own. Questions are added, reordered and removed; a phone-sized preview shows them as
// staff will; publishing saves a new version and leaves every earlier one readable. The draft is
// kept on this device after every change, so a failed publish or a closed tab loses nothing.
import * as api from '../api.js';
import { pullAll } from '../sync.js';
import { session } from '../state.js';
import { announce, field, h, input, saveOnce, select, textarea } from '../ui.js';
import { friendlyDateTime } from '../words.js';
import { checkDraft, draftFrom, dropDraft, KIND_WORDS, loadDraft, newQuestion, saveDraft, sectionMode,
  templateIdFor, toDefinition, TYPES } from '../form-draft.js';
import { questionCard } from '../form-cards.js';
import { phonePreview } from '../form-preview.js';
import { notForRole, serverProblems, showFieldProblems } from '../settings.js';
import { confirmDialog } from './record.js';

async function findDraft(key) {
  const kept = await loadDraft(key);
  if (kept || !key.startsWith('edit-')) return { draft: kept, kept: Boolean(kept) };
  try {
    const latest = await api.get(`/api/v1/templates/${encodeURIComponent(key.slice(5))}`);
    return { draft: latest.builtin ? null : draftFrom(latest, { copy: false }), kept: false };
  } catch (err) {
    return { draft: null, kept: false, offline: err.kind === 'network' };
  }
}

export async function render(main, ctx) {
  if (notForRole(main, 'School forms', ['admin', 'senco'], session.staff.role)) return;
  const { draft, kept, offline } = ctx.arg ? await findDraft(ctx.arg) : {};
  if (!draft) {
    main.append(h('h1', {}, 'School form'), h('p', { class: 'panel' }, offline
      ? 'Opening a form to change it needs a connection the first time. Try again when online.'
      : 'This form is not on this device. Open it again from School forms.'),
    h('a', { class: 'button secondary', href: '#/forms' }, 'School forms'));
    return;
  }
  const next = draft.template_id ? draft.base_version + 1 : 1;
  const title = input({ name: 'title', id: 'form-title', value: draft.title });
  const description = textarea({ name: 'description', id: 'form-description', value: draft.description, rows: 2 });
  const wrappers = { title: field('Form title', title, 'Staff choose the form by this title.'),
    description: field('What the form is for (optional)', description) };
  const sectionsArea = h('div', { id: 'form-sections' });
  const previewArea = h('div', { id: 'preview-area', hidden: true });
  const status = h('p', { class: 'hint', id: 'draft-status' }, kept && !draft.fresh
    ? `Carrying on from changes kept on this device (${friendlyDateTime(draft.updated_at)}).` : '');
  const errors = h('div', { class: 'error-slot' });
  let timer = null;
  const changed = () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      draft.fresh = false;
      await saveDraft(draft);
      status.textContent = 'Changes are kept on this device until you publish.';
      if (!previewArea.hidden) previewArea.replaceChildren(phonePreview(draft.kind, draft));
    }, 300);
  };
  title.addEventListener('input', () => { draft.title = title.value; changed(); });
  description.addEventListener('input', () => { draft.description = description.value; changed(); });
  const opened = new Set();  // unfolded questions stay unfolded across redraws
  const drawSections = (focusId) => {
    // Questions renumber when they move: the list of problems from the last try no longer fits.
    if (focusId) errors.replaceChildren();
    const all = draft.sections.flatMap((s) => s.questions);
    let number = 0;
    sectionsArea.replaceChildren(...draft.sections.map((section) => sectionBlock(section, {
      all, next: () => (number += 1), redraw: drawSections, changed, opened })));
    const target = [].concat(focusId || []).map((id) => document.getElementById(id)).find(Boolean);
    target?.focus();
  };
  drawSections();
  const previewButton = h('button', { type: 'button', class: 'button secondary', id: 'show-preview',
    'aria-expanded': 'false', 'aria-controls': 'preview-area', onclick: () => {
      previewArea.hidden = !previewArea.hidden;
      previewButton.setAttribute('aria-expanded', String(!previewArea.hidden));
      previewButton.textContent = previewArea.hidden ? 'Preview on a phone-sized screen' : 'Hide the preview';
      if (!previewArea.hidden) previewArea.replaceChildren(phonePreview(draft.kind, draft));
    } }, 'Preview on a phone-sized screen');
  const form = h('form', { novalidate: true, id: 'form-builder', onsubmit: saveOnce(() =>
    publish(draft, { form, errors, wrappers, ctx })) },
  wrappers.title, wrappers.description, sectionsArea,
  h('section', { 'aria-labelledby': 'preview-heading' }, h('h2', { id: 'preview-heading' }, 'Preview'),
    previewButton, previewArea),
  status, errors,
  h('button', { type: 'submit', class: 'button big', id: 'publish' }, draft.template_id ? `Publish version ${next}` : 'Publish the form'));
  main.append(h('h1', {}, draft.template_id ? `Change “${draft.title}”` : 'New school form'),
    h('p', { class: 'lead' }, draft.template_id
      ? `Publishing saves version ${next}. Earlier versions stay readable, and records already made keep the version they were filled from.`
      : `A copy of “${draft.copied_from.title}”, which stays as it is. Once published, ${KIND_WORDS[draft.kind].toLowerCase()} offer this form too.`),
    form, h('div', { class: 'button-row' }, h('a', { class: 'button secondary', href: '#/forms' }, 'Back to school forms'),
      h('button', { type: 'button', class: 'button secondary', id: 'discard-draft', onclick: async () => {
        if (!(await confirmDialog('Throw away the changes kept on this device? The published form stays as it is.',
          'Throw them away'))) return;
        clearTimeout(timer);
        await dropDraft(draft.key);
        announce('Threw away the unpublished changes.');
        ctx.go('forms');
      } }, 'Throw away these changes')));
}

function sectionBlock(section, { all, next, redraw, changed, opened }) {
  const mode = sectionMode(section);
  const list = h('ol', { class: 'plain question-list' });
  section.questions.forEach((q, index) => list.append(questionCard(q, {
    section, index, number: next(), last: index === section.questions.length - 1, questions: all,
    open: opened.has(q._key), onToggle: (open) => (open ? opened.add(q._key) : opened.delete(q._key)),
    onChange: changed, redraw: (focusId) => { changed(); redraw(focusId); },
    move: (delta) => {
      const [moved] = section.questions.splice(index, 1);
      section.questions.splice(index + delta, 0, moved);
      // Keep the finger where it was: the same button if the question can still move that way.
      const [same, other] = delta < 0 ? ['up', 'down'] : ['down', 'up'];
      redraw([`${same}-${q._key}`, `${other}-${q._key}`, `q-${q._key}`]);
      announce(`Moved question ${delta < 0 ? 'up' : 'down'}.`);
    },
    remove: async () => {
      if (q.id && !(await confirmDialog(`Remove “${q.prompt}”? Records already made keep their answers; `
        + 'the next version will not ask it.', 'Remove it'))) return;
      section.questions.splice(index, 1);
      changed();
      const after = section.questions[index] || section.questions[index - 1];
      redraw(after ? `q-${after._key}` : `add-${section.id}`);
      announce('Removed the question.');
    },
  })));
  const type = select({ id: `type-new-${section.id}`, name: `type-new-${section.id}` }, TYPES, 'faces5');
  const add = (qtype) => {
    const q = newQuestion(qtype);
    section.questions.push(q);
    opened.add(q._key);
    changed();
    redraw(`prompt-${q._key}`);
  };
  return h('section', { class: 'form-section', 'aria-labelledby': `section-${section.id}` },
    h('h2', { id: `section-${section.id}` }, mode === 'look-fors' ? `${section.title}: looked for at every stop` : section.title),
    mode === 'locked' ? h('p', { class: 'hint' }, 'Asked for each pupil in the app’s own way: this part stays as it is.')
      : section.description && h('p', { class: 'hint' }, section.description),
    section.questions.length ? list : h('p', { class: 'hint' }, 'No questions: this part is left out when you publish.'),
    mode === 'open' ? h('div', { class: 'add-row' }, field(`Type of the new question (${section.title})`, type),
      h('button', { type: 'button', class: 'button', id: `add-${section.id}`, onclick: () => add(type.value) },
        h('span', { class: 'visually-hidden' }, `${section.title}: `), 'Add a question')) : null,
    mode === 'look-fors' ? h('button', { type: 'button', class: 'button', id: `add-${section.id}`,
      onclick: () => add('rag') }, h('span', { class: 'visually-hidden' }, `${section.title}: `), 'Add a look-for') : null);
}

/** The server's field messages, each by the question it is about. */
function serverIssues(errors, places, draft) {
  const order = draft.sections.flatMap((s) => s.questions.map((q) => q._key));
  const found = [];
  const push = (key, m) => found.push({ key, message: m });
  for (const [name, value] of Object.entries(errors || {})) {
    if (name !== 'sections' || Array.isArray(value)) {
      [value].flat(Infinity).flatMap((m) => (m && typeof m === 'object' ? Object.values(m).flat(Infinity) : [m]))
        .forEach((m) => push(name === 'template_id' ? 'title' : name, name === 'template_id' ? `Form title: ${m} Change the title a little.` : m));
      continue;
    }
    for (const [si, section] of Object.entries(value)) {
      for (const [qi, problems] of Object.entries((section && section.questions) || {})) {
        const place = places.find((p) => p.si === Number(si) && p.qi === Number(qi));
        const n = place ? order.indexOf(place.key) + 1 : null;
        const messages = typeof problems === 'object' ? Object.values(problems).flat(Infinity) : [problems];
        messages.forEach((m) => push(place ? place.key : 'questions', n ? `Question ${n}: ${m}` : String(m)));
      }
    }
  }
  return found;
}

const where = (problem, wrappers) => wrappers[problem.key] || document.getElementById(`errors-${problem.key}`);

async function publish(draft, { form, errors, wrappers, ctx }) {
  const issues = checkDraft(draft);
  // A question with a problem unfolds, so what needs fixing is in view.
  for (const p of issues) document.querySelector(`[data-key="${CSS.escape(p.key)}"] > details`)?.setAttribute('open', '');
  if (!showFieldProblems(form, errors, issues.map((p) => ({ where: where(p, wrappers), message: p.message })))) return false;
  const { body, places } = toDefinition(draft);
  let saved;
  try {
    if (draft.template_id) {
      saved = await api.post(`/api/v1/templates/${encodeURIComponent(draft.template_id)}/versions`, body);
    } else {
      const known = (await api.get('/api/v1/templates/')).map((t) => t.template_id);
      saved = await api.post('/api/v1/templates/', { template_id: templateIdFor(draft.title, known), kind: draft.kind, ...body });
    }
  } catch (err) {
    const found = err.kind === 'client' ? serverIssues(err.errors, places, draft) : [];
    const problems = found.length ? found.map((p) => ({ where: where(p, wrappers), message: p.message }))
      : serverProblems(err, wrappers);
    showFieldProblems(form, errors, problems);
    return false;
  }
  await dropDraft(draft.key);
  await pullAll().catch(() => {});  // capture screens on this device offer it straight away
  announce(`Published version ${saved.version} of “${saved.title}”.`);
  ctx.go('form', `${saved.template_id}/${saved.version}`);
  return true;
}
