// One version of a form, however old (#/form/<template id>/<version>): its questions in words,
// a phone-sized preview, links to every version, and the ways to change or copy it.
import * as api from '../api.js';
import * as db from '../db.js';
import { session } from '../state.js';
import { h } from '../ui.js';
import { friendlyDate } from '../words.js';
import { KIND_WORDS, TYPE_WORDS } from '../form-draft.js';
import { conditionWords, promptWords, scaleStrip } from '../form-cards.js';
import { phonePreview } from '../form-preview.js';
import { notForRole } from '../settings.js';
import { copyOf } from './forms.js';

async function fetchVersion(id, version) {
  const path = `/api/v1/templates/${encodeURIComponent(id)}${version ? `/versions/${version}` : ''}`;
  try {
    return await api.get(path);
  } catch (err) {
    if (err.kind !== 'network' || !version) return null;
    const held = await db.getRecord('template', `${id}/${version}`);
    return held ? { ...held, builtin: undefined, versions: [held.version] } : null;
  }
}

function questionItem(q, all) {
  const answers = q.options ? q.options.map((o) => o.label).join(' · ') : null;
  const bounds = q.type === 'number' && (q.min !== undefined || q.max !== undefined)
    ? `From ${q.min ?? 'any'} to ${q.max ?? 'any'}.` : null;
  const condition = conditionWords(q, all);
  return h('li', { class: 'card question-read' }, h('p', {}, h('strong', {}, promptWords(q.prompt))),
    h('p', { class: 'hint' }, [TYPE_WORDS[q.type] || q.type, q.required ? 'an answer is needed' : null,
      q.core ? 'filed in the record’s own field' : null].filter(Boolean).join(' · ')),
    scaleStrip(q), answers ? h('p', {}, `Answers: ${answers}`) : null, bounds ? h('p', {}, bounds) : null,
    q.help ? h('p', { class: 'hint' }, `Help: ${q.help}`) : null,
    condition ? h('p', {}, condition) : null,
    (q.tags || []).includes('safeguarding') ? h('p', {}, h('span', { 'aria-hidden': 'true' }, '▲ '),
      'Safeguarding: worried or unsafe answers go to the safeguarding lead.') : null);
}

export async function render(main, ctx) {
  if (notForRole(main, 'School form', ['admin', 'senco'], session.staff.role)) return;
  const [id, version] = (ctx.arg || '').split('/');
  const t = id ? await fetchVersion(id, version ? Number(version) : null) : null;
  if (!t) {
    main.append(h('h1', {}, 'Form not found'), h('p', { class: 'panel' }, 'There is no such form or version, '
      + 'or it needs a connection to open.'), h('a', { class: 'button secondary', href: '#/forms' }, 'School forms'));
    return;
  }
  const own = t.builtin === false;
  const latest = Math.max(...(t.versions || [t.version]));
  const all = t.definition.sections.flatMap((s) => s.questions);
  const previewArea = h('div', { id: 'preview-area', hidden: true });
  const toggle = h('button', { type: 'button', class: 'button secondary', id: 'show-preview', 'aria-expanded': 'false',
    'aria-controls': 'preview-area', onclick: () => {
      previewArea.hidden = !previewArea.hidden;
      toggle.setAttribute('aria-expanded', String(!previewArea.hidden));
      toggle.textContent = previewArea.hidden ? 'Preview on a phone-sized screen' : 'Hide the preview';
      if (!previewArea.hidden) previewArea.replaceChildren(phonePreview(t.kind, t.definition));
    } }, 'Preview on a phone-sized screen');
  main.append(...[h('h1', {}, t.title),
    h('p', { class: 'lead' }, `${KIND_WORDS[t.kind] || t.kind} · `, own
      ? `The school’s own, version ${t.version}${t.version === latest ? ' (the one in use)' : ` of ${latest}`}`
        + `${t.created_at ? `, published ${friendlyDate(t.created_at)}` : ''}`
      : t.builtin ? 'Built in: it never changes' : `Version ${t.version}`),
    own && (t.versions || []).length > 1 ? h('nav', { 'aria-label': 'Versions', class: 'versions' },
      h('ul', { class: 'tiles versions-list' }, t.versions.map((v) => h('li', {},
        h('a', { class: 'button secondary', href: `#/form/${encodeURIComponent(t.template_id)}/${v}`,
          'aria-current': v === t.version ? 'page' : null }, `Version ${v}${v === latest ? ' (in use)' : ''}`))))) : null,
    t.definition.description ? h('p', {}, t.definition.description) : null,
    ...t.definition.sections.map((s) => h('section', { 'aria-label': s.title },
      h('h2', {}, s.repeat === 'per_stop' ? `${s.title}: looked for at every stop` : s.repeat ? `${s.title}: for each pupil` : s.title),
      h('ol', { class: 'plain' }, s.questions.map((q) => questionItem(q, all))))),
    h('section', { 'aria-labelledby': 'preview-heading' }, h('h2', { id: 'preview-heading' }, 'Preview'), toggle, previewArea),
    h('div', { class: 'button-row' },
      own && t.version === latest ? h('a', { class: 'button', id: 'change-form',
        href: `#/form-edit/edit-${encodeURIComponent(t.template_id)}` }, 'Change it (publishes a new version)') : null,
      t.builtin !== undefined ? h('button', { type: 'button', class: own ? 'button secondary' : 'button', id: 'copy-form',
        onclick: () => copyOf(t, ctx.go) }, own ? 'Copy it as a new form' : 'Make a school copy') : null,
      h('a', { class: 'button secondary', href: '#/forms' }, 'Back to school forms'))].filter(Boolean));
}
