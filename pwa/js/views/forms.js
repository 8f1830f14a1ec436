// School forms (#/forms), for the admin and the SENCO: the built-in forms, which are copied and
// never changed, the school's own with their versions, and changes kept on this device that are
// not published yet.
import * as api from '../api.js';
import { session } from '../state.js';
import { h } from '../ui.js';
import { friendlyDate, friendlyDateTime, plural } from '../words.js';
import { draftFrom, KIND_WORDS, myDrafts, saveDraft } from '../form-draft.js';
import { notForRole } from '../settings.js';

/** The server's list (built-ins and the school's latest versions), or null offline. */
async function templates() {
  try {
    return await api.get('/api/v1/templates/');
  } catch {
    return null;
  }
}

export async function copyOf(template, go) {
  const draft = draftFrom(template, { copy: true });
  await saveDraft(draft);
  go('form-edit', draft.key);
}

export async function render(main, ctx) {
  if (notForRole(main, 'School forms', ['admin', 'senco'], session.staff.role)) return;
  const [list, drafts] = await Promise.all([templates(), myDrafts()]);
  main.append(...[h('h1', {}, 'School forms'),
    h('p', {}, 'Make the school’s own version of a form: copy a built-in one, then add, reorder or remove '
      + 'questions. Built-in forms never change. Each time you publish, the form gets a new version; '
      + 'records keep the version they were filled from, and every version stays readable.'),
    list ? null : h('p', { class: 'panel notice' }, 'The list of forms needs a connection. Changes you kept on '
      + 'this device are below; publishing them needs a connection too.')].filter(Boolean));
  if (drafts.length) {
    main.append(h('section', { class: 'panel', 'aria-labelledby': 'drafts-heading' },
      h('h2', { id: 'drafts-heading' }, 'Not published yet (on this device)'),
      h('ul', { class: 'plain', id: 'draft-list' }, drafts.map((d) => h('li', { class: 'draft-line' },
        h('a', { class: 'button secondary', href: `#/form-edit/${encodeURIComponent(d.key)}` }, `Carry on with “${d.title}”`),
        h('span', { class: 'hint' }, ` ${KIND_WORDS[d.kind]}, changed ${friendlyDateTime(d.updated_at)}`))))));
  }
  for (const [kind, words] of Object.entries(KIND_WORDS)) {
    if (!list) break;
    const ofKind = list.filter((t) => t.kind === kind);
    const own = ofKind.filter((t) => t.builtin === false);
    const builtIn = ofKind.filter((t) => t.builtin !== false);
    main.append(h('section', { 'aria-labelledby': `kind-${kind}` }, h('h2', { id: `kind-${kind}` }, words),
      own.length ? h('ul', { class: 'plain', id: `own-${kind}` }, own.map((t) => formCard(t, ctx)))
        : h('p', { class: 'hint' }, 'No form of the school’s own yet.'),
      h('details', { class: 'others', open: !own.length }, h('summary', { class: 'button secondary' }, `Built-in forms (${builtIn.length})`),
        h('ul', { class: 'plain' }, builtIn.map((t) => formCard(t, ctx))))));
  }
}

function formCard(t, ctx) {
  const own = t.builtin === false;
  const questions = (t.definition?.sections || []).reduce((n, s) => n + s.questions.length, 0);
  return h('li', { class: 'card form-card', dataset: { template: t.template_id } },
    h('h3', {}, t.title),
    h('p', {}, own ? `The school’s own · version ${t.version}${t.created_at ? `, published ${friendlyDate(t.created_at)}` : ''}`
      : 'Built in: copy it to make changes', ` · ${plural(questions, 'question')}`),
    h('div', { class: 'button-row' },
      h('a', { class: 'button secondary', href: `#/form/${encodeURIComponent(t.template_id)}/${t.version}` },
        h('span', { class: 'visually-hidden' }, `${t.title}: `), 'Read it'),
      own ? h('a', { class: 'button', href: `#/form-edit/edit-${encodeURIComponent(t.template_id)}` },
        h('span', { class: 'visually-hidden' }, `${t.title}: `), 'Change it') : null,
      h('button', { type: 'button', class: own ? 'button secondary' : 'button', onclick: () => copyOf(t, ctx.go) },
        h('span', { class: 'visually-hidden' }, `${t.title}: `), own ? 'Copy it as a new form' : 'Make a school copy')));
}
