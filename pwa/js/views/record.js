// One saved record, read back: "#/record/<entry id>". Everyone who may see it reads it here; its
// author and the SENCO can correct it (the form, filled in, saves a new version) or withdraw it.
// A record someone else changed meanwhile shows both versions side by side to choose from.
import { pullAll } from '../sync.js';
import { describe, KIND_ROUTES, KIND_TITLES, lookups, templateOf } from '../describe.js';
import { current, discard, mayAmend, saveEntry, withdraw } from '../records.js';
import { announce, h } from '../ui.js';
import { friendlyDate, friendlyDateTime } from '../words.js';
import { printLink, renderServerCopy, rowsList } from './record-server.js';

const STATE_WORDS = { synced: 'Synced', waiting: 'Waiting to sync', quarantined: 'Needs attention',
  conflict: 'Changed by someone else: choose a version' };

async function confirmDialog(question, yes) {
  const dialog = h('dialog', { class: 'confirm', 'aria-labelledby': 'confirm-q' },
    h('form', { method: 'dialog' }, h('p', { id: 'confirm-q' }, question),
      h('div', { class: 'button-row' }, h('button', { class: 'button', value: 'yes' }, yes),
        h('button', { class: 'button secondary', value: 'no' }, 'Cancel'))));
  document.body.append(dialog);
  dialog.showModal();
  const answer = await new Promise((resolve) => dialog.addEventListener('close', () => resolve(dialog.returnValue), { once: true }));
  dialog.remove();
  return answer === 'yes';
}
export { confirmDialog };

export async function render(main, ctx) {
  if (navigator.onLine && ctx.arg) {
    const first = await current(ctx.arg);
    // A conflict is decided against the newest server copy, so fetch it first.
    if (first && first.state === 'conflict') await pullAll().catch(() => {});
  }
  const version = ctx.arg ? await current(ctx.arg) : null;
  // Not on this device: an older record, kept on the server, is read from there.
  if (!version && ctx.arg && await renderServerCopy(main, ctx)) return;
  if (!version) {
    main.append(h('h1', {}, 'Record not found'), h('p', { class: 'panel' },
      'This record is not on this device, or it is not one you can see. Sync when online, then try again.'),
    h('a', { class: 'button secondary', href: '#/home' }, 'Back to home'));
    return;
  }
  const { entry } = version;
  const names = await lookups();
  const template = await templateOf(entry);
  const author = version.server ? names.staff(version.server.author_id) : 'You';
  main.append(...[h('h1', {}, `${KIND_TITLES[entry.kind] || 'Record'}${entry.core?.date ? `, ${friendlyDate(entry.core.date)}` : ''}`),
    h('p', { class: 'record-meta' }, h('span', { class: `state-badge state-${version.state}` }, STATE_WORDS[version.state]),
      ` · Recorded by ${author}`,
      entry.recorded_at ? ` · ${friendlyDateTime(entry.recorded_at)}` : ''),
    entry.withheld ? h('p', { class: 'panel notice' }, `Some answers are not shown: ${entry.withheld.message}`) : null,
    version.op && version.state === 'quarantined'
      ? h('p', { class: 'panel notice' }, 'The server did not accept this version. ',
        h('a', { href: '#/quarantine' }, 'See why and fix it')) : null,
    version.state === 'conflict' ? conflictSection(version, names, template, ctx)
      : rowsList(describe(entry, names, template), 'record-rows'),
    actions(version, ctx)].filter(Boolean));
}

function actions(version, ctx) {
  const { entry } = version;
  const row = h('div', { class: 'button-row' });
  if (mayAmend(version) && !entry.deleted && version.state !== 'conflict') {
    row.append(h('a', { class: 'button', id: 'correct', href: `#/${KIND_ROUTES[entry.kind]}/${encodeURIComponent(entry.entry_id)}` },
      'Correct this record'));
    row.append(h('button', { type: 'button', class: 'button secondary', id: 'withdraw', onclick: async () => {
      if (!(await confirmDialog('Withdraw this record? It stops counting in reports; the history keeps it.',
        'Withdraw it'))) return;
      await withdraw(version);
      ctx.go('home');
    } }, 'Withdraw'));
  }
  // Synced: every version of it is on the server, pulled back yet or not, so the server can
  // print it. (Waiting for the pull after a push left the link off until the page was reopened.)
  const print = version.state === 'synced' ? printLink(entry) : null;
  if (print) row.append(print);
  row.append(h('a', { class: 'button secondary', href: '#/home' }, 'Back to home'));
  return row;
}

/** Mine and the server's, side by side; keeping mine sends it again on top of theirs. */
function conflictSection(version, names, template, ctx) {
  const mine = version.op.op.entry;
  const theirs = version.server;
  const keepMine = async () => {
    await discard(version.op);
    await saveEntry({ kind: mine.kind, template: { template_id: mine.template_id, version: mine.template_version },
      core: mine.core, answers: mine.answers, summary: version.op.summary,
      editing: { entry: mine, rev: theirs ? theirs.rev : version.rev, op: null } });
    ctx.go('record', mine.entry_id);
  };
  const keepTheirs = async () => {
    await discard(version.op);
    announce('Kept the version on the server. Yours stays in the export file.');
    ctx.go('record', mine.entry_id);
  };
  return h('section', { class: 'conflict', 'aria-labelledby': 'conflict-heading' },
    h('h2', { id: 'conflict-heading' }, 'Someone changed this record after you opened it'),
    h('p', {}, 'Compare the two versions and choose which to keep.'),
    h('div', { class: 'side-by-side' },
      h('section', { 'aria-labelledby': 'mine-heading' }, h('h3', { id: 'mine-heading' }, 'Your version'),
        rowsList(describe(mine, names, template), 'mine-rows')),
      h('section', { 'aria-labelledby': 'theirs-heading' }, h('h3', { id: 'theirs-heading' }, 'On the server now'),
        theirs ? rowsList(describe(theirs, names, template), 'theirs-rows')
          : h('p', {}, 'Not on this device yet: sync when online to see it.'))),
    h('div', { class: 'button-row' },
      h('button', { type: 'button', class: 'button', id: 'keep-mine', onclick: keepMine }, 'Keep my version'),
      theirs ? h('button', { type: 'button', class: 'button secondary', id: 'keep-theirs', onclick: keepTheirs },
        'Keep the version on the server') : null));
}
