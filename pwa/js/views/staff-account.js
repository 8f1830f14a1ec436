// The account parts of the admin's staff screen: the groups someone delivers, a temporary
// password shown once, and deactivating or reactivating the account.
import * as api from '../api.js';
import { announce, h } from '../ui.js';
import { friendlyDate, plural } from '../words.js';
import { confirmDialog } from './record.js';

/** Groups are set up by the SENCO; the admin sees which ones this person delivers. */
export async function groupsSection(member) {
  let groups = null;
  try {
    groups = (await api.get('/api/v1/groups/')).filter((g) => (g.staff_ids || []).includes(member.id));
  } catch { /* offline: the section says so */ }
  return h('section', { 'aria-labelledby': 'groups-heading' }, h('h2', { id: 'groups-heading' }, 'Groups they deliver'),
    groups === null ? h('p', {}, 'Could not fetch the groups just now.')
      : groups.length ? h('ul', { class: 'list', id: 'member-groups' }, groups.map((g) => h('li', {},
        `${g.name} · from ${friendlyDate(g.start_date)} for ${plural(g.weeks, 'week')}${g.active === false ? ' · ended' : ''}`)))
        : h('p', {}, 'None yet. The SENCO chooses who delivers each group.'));
}

async function issue(member, slot) {
  try {
    const result = await api.post(`/api/v1/staff/${member.id}/temporary-password`);
    slot.replaceChildren(shownOnce(result.staff, result.temporary_password));
    slot.querySelector('h3').focus();
    return true;
  } catch (err) {
    slot.replaceChildren(h('p', { class: 'errors', role: 'alert' }, err.kind === 'network'
      ? 'No connection: no password was made. Try again when online.' : err.message));
    return false;
  }
}

function shownOnce(member, password) {
  const code = h('code', { class: 'temp-password', id: 'temp-password' }, password);
  return h('div', { class: 'panel notice temp-panel' },
    h('h3', { tabindex: '-1' }, `${member.name} can log in now`),
    h('dl', { class: 'record-rows' }, h('dt', {}, 'Email'), h('dd', {}, member.email),
      h('dt', {}, 'Temporary password'), h('dd', {}, code)),
    h('p', {}, 'This password is shown only now. Give it to them in person. When they first log in, '
      + 'they choose their own password before anything else.'),
    navigator.clipboard ? h('button', { type: 'button', class: 'button secondary', onclick: async () => {
      try { await navigator.clipboard.writeText(password); announce('Copied the temporary password.'); } catch {
        announce('Could not copy: select the password and copy it by hand.', 'warn');
      }
    } }, 'Copy the password') : null);
}

/** justAdded: the account was just made, so its first password is issued without asking. */
export function passwordPanel(member, area, { justAdded = false } = {}) {
  const slot = h('div', { id: 'temp-password-area', 'aria-live': 'polite' });
  const section = h('section', { 'aria-labelledby': 'password-heading' },
    h('h2', { id: 'password-heading' }, justAdded ? `Added ${member.name}` : 'Password'));
  if (justAdded) {
    section.append(slot, h('div', { class: 'button-row' },
      h('a', { class: 'button', href: '#/staff' }, 'Back to staff'),
      h('a', { class: 'button secondary', href: `#/staff-edit/${member.id}` }, `Edit ${member.name}`)));
    issue(member, slot).then((ok) => {
      if (!ok) slot.append(retryButton(member, slot, 'Make a temporary password'));
    });
    return section;
  }
  section.append(h('p', {}, member.must_change_password
    ? 'They have a temporary password and choose their own at their next login.'
    : 'Forgotten password? Give them a new temporary password. They choose their own when they next log in.'),
  retryButton(member, slot, 'Give a new temporary password', true), slot);
  return section;
}

function retryButton(member, slot, words, ask = false) {
  return h('div', { class: 'button-row' }, h('button', { type: 'button', class: 'button secondary', id: 'issue-password',
    onclick: async () => {
      if (ask && !(await confirmDialog(`Give ${member.name} a new temporary password? Their current password `
        + 'stops working and they are logged out on every device.', 'Give a new password'))) return;
      await issue(member, slot);
    } }, words));
}

/** Deactivate (logged out at once, cannot log in, records kept) or reactivate. */
export function accountSection(member, ctx) {
  const active = member.active !== false;
  const errors = h('div', { class: 'error-slot', id: 'account-errors' });
  return h('section', { 'aria-labelledby': 'account-heading', id: 'account-section' },
    h('h2', { id: 'account-heading' }, 'Account'),
    h('p', {}, active ? `${member.name} can log in.` : `${member.name}'s account is deactivated: they cannot log in. `
      + 'Their records stay.'),
    errors,
    h('div', { class: 'button-row' }, h('button', { type: 'button', class: active ? 'button danger' : 'button secondary',
      id: active ? 'deactivate' : 'reactivate', onclick: async () => {
        if (active && !(await confirmDialog(`Deactivate ${member.name}? They are logged out on every device at once `
          + 'and cannot log in again. Everything they recorded stays.', 'Deactivate'))) return;
        try {
          await api.request('PATCH', `/api/v1/staff/${member.id}`, { json: { active: !active } });
        } catch (err) {
          errors.replaceChildren(h('p', { class: 'errors', role: 'alert' }, err.kind === 'network'
            ? 'No connection: nothing changed. Try again when online.' : err.message));
          errors.querySelector('p').focus?.();
          return;
        }
        announce(active ? `${member.name} is deactivated and logged out everywhere.` : `${member.name} can log in again.`);
        ctx.go('staff-edit', member.id);
      } }, active ? `Deactivate ${member.name}` : `Reactivate ${member.name}`)));
}
