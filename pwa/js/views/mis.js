// The MIS exchange for the SENCO and admin: each night's run in plain words (what came in, what
// went out, every row the roster refused, every field where the app and the MIS disagree), a
// run started now, and the latest SEN export to download. Online only: the run log lives on
// the server, and a run is the server's work.
import { ApiError, get, request } from '../api.js';
import { announce, h } from '../ui.js';
import { friendlyDateTime } from '../words.js';

const STATUS = { running: 'Running', ok: 'Finished', partial: 'Finished, with rows to check',
  failed: 'Failed' };
const SHAPE = { running: '…', ok: '●', partial: '▲', failed: '■' };
const TRIGGER = { schedule: 'the nightly schedule', app: 'the app', cli: 'the command line' };
const SOURCE = { file: 'a file from the MIS', http: 'the MIS over the internet' };

function rejectedList(run) {
  if (!run.rejected || !run.rejected.length) return null;
  return h('details', {}, h('summary', { class: 'button secondary' }, `Rows the roster refused (${run.rejected.length})`),
    h('ul', { class: 'list' }, run.rejected.map((r) => h('li', {},
      `Row ${r.row}${r.upn ? ` (UPN ${r.upn})` : ''}: ${r.reason}`))));
}

function differences(run) {
  if (!run.differences || !run.differences.length) return null;
  return h('section', { 'aria-label': 'Where the app and the MIS differ' },
    h('h3', {}, `Changed in the app, different in the MIS (${run.differences.length})`),
    h('p', { class: 'hint' }, 'The app keeps the SENCO\'s value. Update the MIS to match (the export '
      + 'carries it), and the difference clears on the next run.'),
    h('table', { class: 'data-table' }, h('caption', { class: 'visually-hidden' }, 'Differences'),
      h('thead', {}, h('tr', {}, ['Pupil', 'What', 'In the app', 'In the MIS'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, run.differences.map((d) => h('tr', {},
        h('th', { scope: 'row' }, h('a', { href: `#/pupil-page/${d.pupil_id}` }, d.pupil_name)),
        h('td', {}, d.field_words || d.field), h('td', {}, d.app_value_words || d.app_value || 'None'),
        h('td', {}, d.mis_value_words || d.mis_value || 'None'))))));
}

function runCard(run) {
  return h('li', { class: `card mis-run status-${run.status}`, dataset: { runId: run.id } },
    h('h2', {}, h('span', { 'aria-hidden': 'true' }, `${SHAPE[run.status] || ''} `),
      `${STATUS[run.status] || run.status}: ${friendlyDateTime(run.started_at)}`),
    h('p', {}, run.summary),
    h('p', { class: 'hint' }, `Started by ${TRIGGER[run.trigger] || run.trigger}, roster from `
      + `${SOURCE[run.source] || 'the MIS'}${run.finished_at ? `; finished ${friendlyDateTime(run.finished_at)}` : ''}.`),
    (run.notes || []).length ? h('ul', { class: 'list' }, run.notes.map((n) => h('li', {}, n))) : null,
    differences(run), rejectedList(run));
}

async function download(button) {
  button.setAttribute('aria-disabled', 'true');
  try {
    const response = await fetch('/api/v1/mis/exports/latest', { credentials: 'same-origin' });
    if (!response.ok) {
      const body = await response.json().catch(() => ({}));
      announce(body.message || 'The export could not be downloaded.', 'warn');
      return;
    }
    const name = (response.headers.get('Content-Disposition') || '').match(/filename="?([^";]+)/);
    const link = h('a', { href: URL.createObjectURL(await response.blob()), download: name ? name[1] : 'sen-export.zip' });
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    button.removeAttribute('aria-disabled');
  }
}

export async function render(main, ctx) {
  main.append(h('h1', {}, 'MIS sync'),
    h('p', {}, 'Each night the app takes the roster from the school\'s MIS and sends back SEN status, '
      + 'needs and provision. The MIS owns names, dates of birth and classes; SEN data changed in the '
      + 'app stays as the SENCO left it.'));
  if (!navigator.onLine) {
    main.append(h('p', { class: 'panel' }, 'The run log needs a connection. Open this page again when online.'));
    return;
  }
  let runs;
  try {
    runs = (await get('/api/v1/mis/runs?limit=20')).items;
  } catch (err) {
    main.append(h('p', { class: 'panel' }, err instanceof ApiError ? err.message : 'The run log could not be read.'));
    return;
  }
  const running = runs.some((r) => r.status === 'running');
  const runNow = h('button', { type: 'button', class: 'button', id: 'mis-run-now', 'aria-disabled': running ? 'true' : null,
    onclick: async () => {
      if (runNow.getAttribute('aria-disabled') === 'true') return;
      runNow.setAttribute('aria-disabled', 'true');
      announce('Running the MIS sync…');
      try {
        const run = await request('POST', '/api/v1/mis/runs');
        announce(run.status === 'running' ? 'The run is going: this page shows it when it finishes.' : run.summary);
      } catch (err) {
        announce(err.message, 'warn');
      }
      ctx.go('mis');
    } }, running ? 'A run is going' : 'Run the MIS sync now');
  const latestReady = runs.some((r) => r.export_ready);
  const downloadButton = h('button', { type: 'button', class: 'button secondary', id: 'mis-download',
    onclick: () => download(downloadButton) }, 'Download the latest SEN export');
  main.append(h('div', { class: 'button-row' }, runNow, latestReady ? downloadButton : null),
    runs.length ? h('ul', { class: 'plain', id: 'mis-runs' }, runs.map(runCard))
      : h('p', { class: 'panel' }, 'No runs yet. The first runs tonight, or start one now.'));
}
