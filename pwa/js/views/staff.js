// Staff: who works here, their role and classes. The admin adds, edits and deactivates accounts
// (#/staff-edit/<id>); the SENCO reads the list and names the designated safeguarding leads,
// which an admin cannot do (server/policy.py may_designate_dsl).
import * as api from '../api.js';
import { asOf, cachedGet } from '../cache.js';
import { session } from '../state.js';
import { announce, field, h, input, select } from '../ui.js';
import { yearWords } from '../words.js';
import { confirmDialog } from './record.js';
import { notForRole, offlineNote, ROLE_WORDS } from '../settings.js';

const READERS = ['admin', 'senco'];

export async function render(main) {
  const me = session.staff;
  if (notForRole(main, 'Staff', READERS, me.role)) return;
  const [staffResult, classResult] = await Promise.all([cachedGet('settings-staff', '/api/v1/staff/'),
    cachedGet('settings-classes', '/api/v1/classes/')]);
  main.append(h('h1', {}, 'Staff'));
  if (!staffResult) {
    main.append(h('p', { class: 'panel' }, 'No saved copy yet. Open this page once while online.'));
    return;
  }
  const classes = new Map((classResult ? classResult.data : []).map((c) => [c.id, c]));
  const everyone = staffResult.data.slice().sort((a, b) => a.name.localeCompare(b.name));
  const admin = me.role === 'admin';
  const namesDsl = me.role === 'senco' || me.is_dsl;
  const list = h('ul', { class: 'plain staff-list', id: 'staff-list' });
  const gone = h('ul', { class: 'plain staff-list', id: 'deactivated-list' });
  const draw = () => {
    list.replaceChildren(...everyone.filter((s) => s.active !== false).map((s) => card(s)));
    gone.replaceChildren(...everyone.filter((s) => s.active === false).map((s) => card(s)));
  };
  const card = (s) => h('li', { class: 'card staff-card', dataset: { search: `${s.name} ${s.email}`.toLowerCase(), role: s.role } },
    h('h2', {}, admin ? h('a', { href: `#/staff-edit/${s.id}` }, s.name) : s.name),
    h('p', {}, h('strong', {}, ROLE_WORDS[s.role] || s.role), titleWords(s)),
    h('p', { class: 'hint' }, s.email),
    s.class_ids && s.class_ids.length ? h('p', {}, `Teaches ${s.class_ids.map((id) => classes.get(id))
      .filter(Boolean).map((c) => `${c.name} (${yearWords(c.year_group)})`).join(', ')}`) : null,
    markers(s),
    namesDsl && s.active !== false ? dslButton(s, draw) : null);
  draw();
  const search = input({ type: 'search', id: 'staff-search', autocomplete: 'off' });
  const role = select({ id: 'staff-role' }, [['', 'Every role'], ...Object.entries(ROLE_WORDS)], '');
  const none = h('p', { id: 'staff-none', hidden: true }, 'Nobody matches.');
  const filter = () => {
    const term = search.value.trim().toLowerCase();
    let shown = 0;
    for (const li of [...list.children, ...gone.children]) {
      li.hidden = Boolean(term && !li.dataset.search.includes(term)) || Boolean(role.value && li.dataset.role !== role.value);
      if (!li.hidden && li.parentElement === list) shown += 1;
    }
    none.hidden = shown > 0;
  };
  search.addEventListener('input', filter);
  role.addEventListener('change', filter);
  const active = everyone.filter((s) => s.active !== false).length;
  main.append(...[asOf(staffResult), offlineNote(),
    admin ? h('div', { class: 'button-row' }, h('a', { class: 'button', href: '#/staff-edit/new', id: 'add-staff' },
      'Add a member of staff'), h('a', { class: 'button secondary', href: '#/terms' }, 'School terms')) : null,
    admin ? null : h('p', { class: 'hint' }, 'The school office (admin) adds and changes accounts. '
      + 'You name the designated safeguarding leads.'),
    h('div', { class: 'grid' }, field('Find someone', search, 'Type part of a name or email.'), field('Role', role)),
    h('h2', {}, `Active accounts (${active})`), list, none,
    everyone.length > active ? h('details', { class: 'others' },
      h('summary', { class: 'button secondary' }, `Deactivated accounts (${everyone.length - active})`), gone) : null]
    .filter(Boolean));
}

/** The job title, unless it only repeats the role ("Teaching assistant · Teaching assistant"). */
function titleWords(s) {
  const role = (ROLE_WORDS[s.role] || '').toLowerCase();
  return s.job_title && s.job_title.toLowerCase() !== role ? ` · ${s.job_title}` : '';
}

function markers(s) {
  const items = [
    s.is_dsl ? ['dsl', '●', 'Designated safeguarding lead'] : null,
    s.active === false ? ['off', '■', 'Deactivated: cannot log in'] : null,
    s.active !== false && s.must_change_password ? ['temp', '▲', 'Has a temporary password: chooses their own at next login'] : null,
  ].filter(Boolean);
  return items.length ? h('ul', { class: 'markers' }, items.map(([kind, glyph, words]) =>
    h('li', { class: `marker marker-${kind}` }, h('span', { 'aria-hidden': 'true' }, `${glyph} `), words))) : null;
}

/** Name or stand down a DSL: the SENCO's or a DSL's decision, confirmed, then saved at once. */
function dslButton(s, redraw) {
  const naming = !s.is_dsl;
  return h('div', { class: 'button-row' }, h('button', { type: 'button', class: 'button secondary',
    onclick: async () => {
      const question = naming
        ? `Name ${s.name} as a designated safeguarding lead? They will see every safeguarding concern.`
        : `Stand ${s.name} down as a designated safeguarding lead? They stop seeing safeguarding concerns.`;
      if (!(await confirmDialog(question, naming ? 'Name them' : 'Stand them down'))) return;
      try {
        const saved = await api.request('PUT', `/api/v1/staff/${s.id}/dsl`, { json: { is_dsl: naming } });
        Object.assign(s, saved);
        announce(naming ? `${s.name} is now a designated safeguarding lead.` : `${s.name} is no longer a designated safeguarding lead.`);
        redraw();
      } catch (err) {
        announce(err.kind === 'network' ? 'No connection: nothing changed. Try again when online.' : err.message, 'error');
      }
    } }, naming ? `Name ${s.name} as safeguarding lead` : `Stand ${s.name} down as safeguarding lead`));
}
