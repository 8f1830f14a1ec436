// Log in. The first login on a device must be online; afterwards the app works offline and a
// new login only resumes sending (DESIGN §5.0: the outbox waits for the login, never drops).
import * as api from '../api.js';
import * as db from '../db.js';
import * as outbox from '../outbox.js';
import { plural } from '../words.js';
import { pullAll } from '../sync.js';
import * as grant from '../pupil-grant.js';
import { events, session, worksInSchool } from '../state.js';
import { announce, errorList, field, h, input } from '../ui.js';

export async function render(main, { go }) {
  const saved = await db.getMeta('last_email');
  const email = input({ type: 'email', name: 'email', autocomplete: 'username', required: true,
    value: saved || '' });
  const password = input({ type: 'password', name: 'password', autocomplete: 'current-password',
    required: true });
  const errors = h('div', { class: 'error-slot', id: 'login-errors' });
  // Asked for only when the server says this account has a second step (a 401 naming otp).
  const otp = input({ type: 'text', name: 'otp', inputmode: 'numeric', autocomplete: 'one-time-code',
    maxlength: 6, pattern: '[0-9]*' });
  const otpField = field('Code from your authenticator app', otp, 'Six digits. The app shows a new one every 30 seconds.');
  otpField.hidden = true;
  const submit = h('button', { type: 'submit', class: 'button big' }, 'Log in');
  const form = h('form', { novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    const missing = [!email.value.trim() && 'Enter your school email address.',
      !password.value && 'Enter your password.'].filter(Boolean);
    if (missing.length) {
      errors.replaceChildren(errorList(missing));
      return;
    }
    submit.disabled = true;
    try {
      await logIn(email.value.trim(), password.value, otp.value.trim());
      go('home');
    } catch (err) {
      errors.replaceChildren(errorList(messagesFor(err)));
      if (err.errors && err.errors.otp) { otpField.hidden = false; otp.focus(); }
    } finally {
      submit.disabled = false;
    }
  } }, field('Email', email), field('Password', password), otpField, errors, submit);
  const unsynced = (await outbox.counts()).unsynced;
  main.append(h('h1', {}, 'Log in'),
    session.authNeeded || unsynced
      ? h('p', { class: 'panel' }, `${plural(unsynced, 'record')} saved on this device will be sent after you log in.`)
      : h('p', {}, 'The first login on this device needs an internet connection. After that, you can work offline.'),
    form);
}

function messagesFor(err) {
  if (err.kind === 'network') return ['No connection. The first login needs the internet.'];
  // The server's words, without field names: "email: Not a valid email address." reads
  // "Not a valid email address."
  const fields = (err.fieldMessages || []).map((m) => m.replace(/^[\w.[\]]+: /, ''));
  return [...new Set([err.message, ...fields])];
}

/** CSRF token for the form, log in, remember the session, then pull everything in scope. */
async function logIn(email, password, code = '') {
  const { csrf_token: formToken } = await api.get('/api/v1/auth/csrf');
  api.setCsrf(formToken);
  const me = await api.post('/api/v1/auth/login', code ? { email, password, otp: code } : { email, password });
  api.setCsrf(me.csrf_token);
  const previous = await db.getMeta('session_staff_id');
  if (previous !== me.staff.id) await db.clearRecords();  // another user's data is not ours to keep
  await db.setMeta('session', { staff: me.staff, school: me.school, csrf_token: me.csrf_token });
  await db.setMeta('session_staff_id', me.staff.id);
  await db.setMeta('last_email', email);
  await grant.keep(me);
  // The school requires a second step and there is none yet: the router shows its set-up first.
  session.secondFactorPending = Boolean(me.second_factor && me.second_factor.pending);
  if (session.secondFactorPending) return;
  Object.assign(session, { staff: me.staff, school: me.school, authNeeded: false });
  // A temporary password: the router shows the password form; nothing else works until then.
  if (me.staff.must_change_password) return;
  if (!worksInSchool(me.staff.role)) return;  // a trust's officer: no pupils or groups to pull
  announce('Logged in. Downloading your pupils and groups…');
  await pullAll();
  events.dispatchEvent(new Event('outbox'));
  outbox.sync({ force: true });
  announce('Ready. You can now work offline.');
}
