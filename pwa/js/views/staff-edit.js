// One member of staff, for the admin: "#/staff-edit/new" adds someone and shows their temporary
// password once; "#/staff-edit/<id>" edits name, email, role and classes, gives a new temporary
// password, and deactivates or reactivates the account (which ends their sessions at once).
import * as api from '../api.js';
import { session } from '../state.js';
import { announce, field, h, input, saveOnce } from '../ui.js';
import { yearWords } from '../words.js';
import { confirmDialog } from './record.js';
import { notForRole, ROLE_HINTS, ROLE_WORDS, serverProblems, SETTINGS, showFieldProblems,
  textProblem } from '../settings.js';
import { accountSection, groupsSection, passwordPanel } from './staff-account.js';

const RULES = SETTINGS.staff.fields;
const LABELS = { name: 'Name', email: 'Email', role: 'Role', job_title: 'Job title', class_ids: 'Classes',
  active: 'Account', is_dsl: 'Safeguarding lead' };

export async function render(main, ctx) {
  if (notForRole(main, 'Staff', ['admin'], session.staff.role)) return;
  const isNew = ctx.arg === 'new';
  let member = null;
  let classes = [];
  try {
    [member, classes] = await Promise.all([isNew ? null : api.get(`/api/v1/staff/${encodeURIComponent(ctx.arg)}`),
      api.get('/api/v1/classes/')]);
  } catch (err) {
    main.append(h('h1', {}, 'Staff'), h('p', { class: 'panel' }, err.kind === 'network'
      ? 'Changing staff accounts needs a connection. Try again when online.'
      : 'No member of staff with this address.'),
    h('a', { class: 'button secondary', href: '#/staff' }, 'All staff'));
    return;
  }
  const area = h('div', { id: 'staff-form-area' });
  main.append(h('h1', {}, isNew ? 'Add a member of staff' : member.name), area,
    h('p', {}, h('a', { href: '#/staff' }, 'All staff')));
  area.append(editForm(member, classes, ctx, area));
  if (!isNew) {
    area.append(await groupsSection(member), passwordPanel(member, area), accountSection(member, ctx),
      h('section', { 'aria-labelledby': 'dsl-heading' }, h('h2', { id: 'dsl-heading' }, 'Safeguarding'),
        h('p', {}, member.is_dsl ? `${member.name} is a designated safeguarding lead.`
          : `${member.name} is not a designated safeguarding lead.`,
        ' Only the SENCO or a designated safeguarding lead can change this, from their Staff screen.')));
  }
}

function radioList(legend, name, options, value, hint) {
  const hintEl = hint ? h('p', { class: 'hint', id: `${name}-hint` }, hint) : null;
  return h('fieldset', { class: 'radio-list', 'aria-describedby': hintEl ? hintEl.id : null },
    h('legend', {}, legend), hintEl,
    options.map(([v, words, more]) => h('label', { class: 'radio-line' },
      h('input', { type: name === 'class_ids' ? 'checkbox' : 'radio', name, value: String(v),
        checked: Array.isArray(value) ? value.includes(v) : v === value }),
      h('span', {}, h('strong', {}, words), more ? h('span', { class: 'hint' }, ` ${more}`) : null))));
}

const YEARS = ['N1', 'N2', 'R', ...Array.from({ length: 13 }, (_, i) => String(i + 1))];
const byYear = (a, b) => YEARS.indexOf(a.year_group) - YEARS.indexOf(b.year_group) || a.name.localeCompare(b.name);

function editForm(member, classes, ctx, area) {
  const was = member || { name: '', email: '', role: 'ta', job_title: null, class_ids: [] };
  const controls = {
    name: input({ name: 'name', autocomplete: 'off', value: was.name }),
    email: input({ type: 'email', name: 'email', autocomplete: 'off', value: was.email }),
    job_title: input({ name: 'job_title', value: was.job_title || '' }),
  };
  const wrappers = {
    name: field('Name', controls.name),
    email: field('Email', controls.email, 'They log in with this.'),
    job_title: field('Job title (optional)', controls.job_title, 'For example: HLTA, Year 4 teacher, School business manager.'),
    role: radioList('Role', 'role', Object.entries(ROLE_WORDS).map(([v, w]) => [v, w, ROLE_HINTS[v]]), was.role),
    class_ids: radioList('Classes they teach', 'class_ids', classes.slice().sort(byYear).map((c) => [c.id, c.name, yearWords(c.year_group)]),
      was.class_ids || [], classes.length ? 'A class teacher sees the pupils in these classes.' : 'No classes yet.'),
  };
  const errors = h('div', { class: 'error-slot' });
  const form = h('form', { novalidate: true, id: 'staff-form', onsubmit: saveOnce(() => save()) },
    wrappers.name, wrappers.email, wrappers.job_title, wrappers.role, wrappers.class_ids, errors,
    h('button', { type: 'submit', class: 'button big' }, member ? 'Save changes' : 'Add and make a temporary password'));

  const read = () => ({
    name: controls.name.value.trim(), email: controls.email.value.trim(),
    job_title: controls.job_title.value.trim() || null,
    role: form.querySelector('input[name="role"]:checked')?.value || null,
    class_ids: [...form.querySelectorAll('input[name="class_ids"]:checked')].map((el) => Number(el.value)),
  });
  const check = (data) => [
    { where: wrappers.name, message: textProblem('Name', data.name, RULES.name) },
    { where: wrappers.email, message: textProblem('Email', data.email, RULES.email)
      || (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(data.email) ? null : 'Email: type a whole address, like name@school.org.uk.') },
    { where: wrappers.job_title, message: textProblem('Job title', data.job_title, RULES.job_title) },
    { where: wrappers.role, message: data.role ? null : 'Role: choose what this person does.' },
  ].filter((p) => p.message);
  // Only what changed: saving an unchanged role would still log the person out everywhere.
  const changes = (data) => Object.fromEntries(Object.entries(data).filter(([key, value]) =>
    JSON.stringify(value) !== JSON.stringify(key === 'class_ids' ? [...(was.class_ids || [])].sort((a, b) => a - b)
      : (was[key] ?? null))));

  async function save() {
    const data = read();
    data.class_ids.sort((a, b) => a - b);
    if (!showFieldProblems(form, errors, check(data))) return false;
    const body = member ? changes(data) : data;
    if (member && !Object.keys(body).length) { announce('Nothing has changed.'); return false; }
    if (member && body.role && !(await confirmDialog(`Change ${member.name}'s role to ${ROLE_WORDS[body.role]}? `
      + 'They are logged out everywhere and see what the new role sees when they log in again.', 'Change the role'))) return false;
    let saved;
    try {
      saved = member ? await api.request('PATCH', `/api/v1/staff/${member.id}`, { json: body })
        : await api.post('/api/v1/staff/', body);
    } catch (err) {
      showFieldProblems(form, errors, serverProblems(err, wrappers, LABELS));
      return false;
    }
    if (member) {
      announce(`Saved the changes to ${saved.name}.`);
      ctx.go('staff-edit', saved.id);
      return true;
    }
    area.replaceChildren(passwordPanel(saved, area, { justAdded: true }));
    return true;
  }
  return form;
}
