// "#/security": a second step at login (a 6-digit code from an authenticator app, RFC 6238) for
// the SENCO, safeguarding leads and admins, and, for the SENCO and admin, whether the school
// requires it. When the school requires it and it is not set up, the router opens this screen
// first and nothing else works until it is (server/second_factor.py). Online only.
import * as api from '../api.js';
import { pullAll } from '../sync.js';
import { session } from '../state.js';
import { announce, errorList, field, h, input } from '../ui.js';

const PRIVILEGED = ['senco', 'admin'];
const mayUse = (staff) => PRIVILEGED.includes(staff.role) || Boolean(staff.is_dsl);

/** "JBSWY3DPEHPK3PXP" -> "JBSW Y3DP EHPK 3PXP": easier to read out and type. */
const grouped = (secret) => secret.match(/.{1,4}/g).join(' ');

function codeInput(id) {
  return input({ id, name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 6,
    pattern: '[0-9]*' });
}

export async function render(main, { go }) {
  main.append(h('h1', {}, 'Second step at login'));
  if (!mayUse(session.staff)) {
    main.append(h('p', {}, 'A second step at login is for the SENCO, safeguarding leads and admins.'));
    return;
  }
  if (!navigator.onLine) {
    main.append(h('p', { class: 'panel' }, 'Connect to the internet to change how you log in.'));
    return;
  }
  const me = await api.get('/api/v1/me');
  const state = me.second_factor || {};
  if (state.pending) {
    main.append(h('p', { class: 'panel', role: 'status' }, 'Your school asks you to add a second step before you go on: '
      + 'a code from an authenticator app on your phone, as well as your password.'));
  }
  main.append(state.enabled ? offSection(state, go) : setupSection(go));
  if (PRIVILEGED.includes(session.staff.role)) main.append(await schoolSection());
}

function setupSection(go) {
  const errors = h('div', { class: 'error-slot' });
  const steps = h('div', { id: 'setup-steps' });
  const start = h('button', { type: 'button', class: 'button', onclick: async () => {
    start.disabled = true;
    try {
      const { secret, otpauth_uri: uri } = await api.post('/api/v1/auth/second-factor');
      start.hidden = true;
      steps.replaceChildren(confirmForm(secret, uri, errors, go));
      steps.querySelector('input').focus();
    } catch (err) {
      errors.replaceChildren(errorList([err.message]));
      start.disabled = false;
    }
  } }, 'Set up a second step');
  return h('section', { 'aria-labelledby': 'setup-heading' },
    h('h2', { id: 'setup-heading' }, 'Set it up'),
    h('p', {}, 'You need an authenticator app on your phone (for example Microsoft Authenticator, Google '
      + 'Authenticator or a password manager that makes codes).'),
    start, errors, steps);
}

function confirmForm(secret, uri, errors, go) {
  const code = codeInput('setup-code');
  return h('form', { onsubmit: async (event) => {
    event.preventDefault();
    try {
      await api.request('POST', '/api/v1/auth/second-factor/confirm', { json: { code: code.value.trim() } });
      session.secondFactorPending = false;
      announce('Done. From your next login, you will be asked for a code as well as your password.');
      await pullAll().catch(() => {});
      go('home');
    } catch (err) {
      errors.replaceChildren(errorList([err.message]));
      code.value = '';
      code.focus();
    }
  } },
  h('ol', {},
    h('li', {}, 'In the app, choose to add an account, then to enter a key by hand.'),
    h('li', {}, 'Type this key: ', h('code', { id: 'setup-secret' }, grouped(secret)),
      ' (on a phone you can open ', h('a', { href: uri }, 'this link'), ' instead).'),
    h('li', {}, 'Type the 6-digit code the app shows.')),
  field('Code from the app', code, 'Six digits. The app shows a new one every 30 seconds.'),
  h('button', { type: 'submit', class: 'button' }, 'Confirm'));
}

function offSection(state, go) {
  if (state.required) {
    return h('p', { id: 'second-factor-on' }, 'You log in with a code as well as your password. Your school requires this for your role.');
  }
  const code = codeInput('off-code');
  const errors = h('div', { class: 'error-slot' });
  return h('section', { 'aria-labelledby': 'off-heading' },
    h('p', { id: 'second-factor-on' }, 'You log in with a code as well as your password.'),
    h('h2', { id: 'off-heading' }, 'Switch it off'),
    h('form', { onsubmit: async (event) => {
      event.preventDefault();
      try {
        await api.request('POST', '/api/v1/auth/second-factor/off', { json: { code: code.value.trim() } });
        announce('The second step is off. You log in with your password alone.');
        go('home');
      } catch (err) {
        errors.replaceChildren(errorList([err.message]));
      }
    } }, field('Code from the app', code), errors,
    h('button', { type: 'submit', class: 'button secondary' }, 'Switch off')));
}

async function schoolSection() {
  const box = h('input', { type: 'checkbox', id: 'require-second-factor' });
  const status = h('p', { role: 'status', class: 'hint' });
  try {
    box.checked = (await api.get('/api/v1/security/settings')).second_factor_required;
  } catch { box.disabled = true; }
  box.addEventListener('change', async () => {
    try {
      await api.request('PUT', '/api/v1/security/settings', { json: { second_factor_required: box.checked } });
      status.textContent = box.checked ? 'Required from each person’s next login.' : 'No longer required.';
    } catch (err) {
      box.checked = !box.checked;
      status.textContent = err.message;
    }
  });
  return h('section', { class: 'panel', 'aria-labelledby': 'school-heading' },
    h('h2', { id: 'school-heading' }, 'For the whole school'),
    h('div', { class: 'check' }, box, h('label', { for: box.id },
      'Require a second step of the SENCO, safeguarding leads and admins')), status);
}
