// Choose my own password: required straight after logging in with a temporary password from the
// school office (the server refuses everything else until then), and open to anyone any time.
import * as api from '../api.js';
import * as db from '../db.js';
import * as outbox from '../outbox.js';
import { pullAll } from '../sync.js';
import { events, session } from '../state.js';
import { announce, field, h, input, saveOnce } from '../ui.js';
import { SETTINGS, serverProblems, showFieldProblems, textProblem } from '../settings.js';

const RULES = SETTINGS.password.fields;

export async function render(main, ctx) {
  const forced = Boolean(session.staff.must_change_password);
  const current = input({ type: 'password', name: 'current_password', autocomplete: 'current-password' });
  const fresh = input({ type: 'password', name: 'new_password', autocomplete: 'new-password' });
  const again = input({ type: 'password', name: 'new_password_again', autocomplete: 'new-password' });
  const wrappers = {
    current_password: field(forced ? 'Temporary password you logged in with' : 'Your current password', current),
    new_password: field('New password', fresh,
      `At least ${RULES.new_password.minLength} characters. A few words you will remember work well.`),
    again: field('New password again', again),
  };
  const errors = h('div', { class: 'error-slot' });
  const form = h('form', { novalidate: true, onsubmit: saveOnce(() => save()) },
    ...Object.values(wrappers), errors,
    h('button', { type: 'submit', class: 'button big' }, 'Save my new password'));
  main.append(...[h('h1', {}, forced ? 'Choose your own password' : 'Change my password'),
    forced ? h('p', { class: 'panel' }, 'You logged in with a temporary password from the school office. '
      + 'Choose your own password before you go on: nobody else will know it.') : null,
    form].filter(Boolean));

  async function save() {
    const found = [
      { where: wrappers.current_password, message: current.value ? null
        : (forced ? 'Type the temporary password you logged in with.' : 'Type your current password.') },
      { where: wrappers.new_password, message: textProblem('New password', fresh.value, RULES.new_password) },
      { where: wrappers.again, message: fresh.value && again.value !== fresh.value
        ? 'The two new passwords are not the same: type it again.' : null },
      { where: wrappers.new_password, message: fresh.value && fresh.value === current.value
        ? 'Choose a new password different from the one you logged in with.' : null },
    ].filter((p) => p.message);
    if (!showFieldProblems(form, errors, found)) return false;
    let me;
    try {
      me = await api.post('/api/v1/auth/password', { current_password: current.value, new_password: fresh.value });
    } catch (err) {
      showFieldProblems(form, errors, serverProblems(err, wrappers));
      return false;
    }
    api.setCsrf(me.csrf_token);
    session.staff = me.staff;
    await db.setMeta('session', { staff: me.staff, school: me.school, csrf_token: me.csrf_token });
    if (forced) {
      // The first pull waited for the password: fetch this person's pupils and groups now.
      announce('Password saved. Downloading your pupils and groups…');
      await pullAll().catch(() => {});
      events.dispatchEvent(new Event('outbox'));
      outbox.sync({ force: true });
    }
    announce('Your new password is saved. Use it next time you log in.');
    ctx.go('home');
    return true;
  }
}
