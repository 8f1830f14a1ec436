// A pupil's page, "#/pupil-page/<pupil id>": one place for what the user may see about one pupil,
// read offline from what was pulled to this device (and what this device has not sent yet):
// the passport at a glance, intervention groups with attendance and entry -> exit (from the
// provision map when a copy is on the device), the pupil-voice trend as a chart of the faces the
// pupil chose with the words beside it, conversations with parents and learning-walk mentions.
// Every record listed opens at "#/record/<entry id>". Lists run newest first; the chart runs
// oldest to newest, left to right, as its list of words does. Records older than the device's
// pull window are read from the server on request, at the foot (js/older-list.js).
import * as db from '../db.js';
import { cachedGet, bar } from '../cache.js';
import { ratingTrend } from '../chart.js';
import { questionsOf } from '../entries.js';
import { olderNote, olderSection } from '../older-list.js';
import { olderThan } from '../older.js';
import { session } from '../state.js';
import { FACES3, FACES5, RAG, h, personName } from '../ui.js';
import { friendlyDate, friendlyDateTime, plural, senWords, timeEl, yearWords } from '../words.js';

const WAITING = new Set(['pending', 'sending']);
const SAFEGUARDING = 'safeguarding';
// Kinds each role reads (server/policy.py readable_kinds): TAs read session records and voice.
const READS = { ta: ['session_record', 'pupil_voice'] };
const reads = (kind) => (READS[session.staff.role] || [kind]).includes(kind);
// Census need types (schemas/codes.py NEED_TYPES) in the DfE's words.
const NEED_WORDS = {
  SPLD: 'Specific learning difficulty', MLD: 'Moderate learning difficulty',
  SLD: 'Severe learning difficulty', PMLD: 'Profound and multiple learning difficulty',
  SEMH: 'Social, emotional and mental health', SLCN: 'Speech, language and communication needs',
  HI: 'Hearing impairment', VI: 'Vision impairment', MSI: 'Multi-sensory impairment',
  PD: 'Physical disability', ASD: 'Autistic spectrum disorder', OTH: 'Other difficulty or disability',
  NSA: 'SEN support, no specialist assessment of the type of need',
};
// The passport at a glance: the fields that most help someone meeting the pupil (FORMS.md §5).
const KEY_FIELDS = [['i_enjoy', 'I enjoy'], ['i_learn_best_when', 'I learn best when'],
  ['what_helps_me', 'What helps me'], ['i_find_it_difficult_to', 'I find it difficult to'],
  ['to_communicate_with_me', 'To communicate with me you need to']];
const ATTENDANCE = { present: 'Present', absent: 'Absent', late: 'Late' };

const newestFirst = (a, b) => (b.date || '').localeCompare(a.date || '') || (b.recorded_at || '').localeCompare(a.recorded_at || '');
const recordLink = (entry, words) => h('a', { href: `#/record/${encodeURIComponent(entry.entry_id)}` }, words);
const notSynced = (entry) => (entry.synced ? null : h('span', { class: 'state-badge' }, 'Not synced yet'));
/** One record in a list: its link (a full-size target on a line of its own), then its details. */
const recordItem = (entry, words, ...details) => h('li', {}, recordLink(entry, words),
  details.flat().some(Boolean) || !entry.synced ? h('div', { class: 'detail' }, ...details, ' ', notSynced(entry)) : null);

/** Every entry this device holds: the pulled copies, overlaid by ops not yet confirmed. */
async function allEntries() {
  const found = new Map((await db.getRecords('entry')).filter((e) => e.core)
    .map((e) => [e.entry_id, { ...e, synced: true }]));
  const ops = (await db.getOps()).filter((r) => r.op.type === 'entry' && WAITING.has(r.state))
    .sort((a, b) => a.device_seq - b.device_seq);
  for (const { op: { entry } } of ops) {
    if (entry.deleted) found.delete(entry.entry_id);
    else found.set(entry.entry_id, { ...entry, date: entry.core.date, synced: false });
  }
  return [...found.values()];
}

const templateQuestions = (template) => (template ? questionsOf(template.definition) : []);

/** The first rating the pupil gave, as sync/merge `chosen` reads it: scale, position, words. */
function chosenRating(template, answers) {
  for (const q of templateQuestions(template)) {
    if ((q.tags || []).includes(SAFEGUARDING)) continue;
    const v = answers[q.id];
    if (typeof v === 'boolean' || v === undefined || v === null) continue;
    const faces = { faces3: FACES3, faces5: FACES5 }[q.type];
    if (faces && Number.isInteger(v) && v >= 1 && v <= faces.length) {
      return { scale_type: q.type, scale: faces.length, position: v, face: faces[v - 1], prompt: q.prompt };
    }
    const rag = RAG.findIndex((r) => r.value === v);
    if (q.type === 'rag' && rag >= 0) {
      return { scale_type: 'rag', scale: 3, position: rag + 1, face: RAG[rag].word, prompt: q.prompt };
    }
    if (q.type === 'scale' && typeof v === 'number' && v >= q.min && v <= q.max) {
      return { scale_type: 'scale', scale: q.max - q.min + 1, position: v - q.min + 1,
        face: `${v} out of ${q.max}`, prompt: q.prompt };
    }
  }
  return null;
}

function section(id, title, ...children) {
  return h('section', { class: 'card pupil-section', 'aria-labelledby': id },
    h('h2', { id }, title), ...children.flat().filter(Boolean));
}

function notFound(main, arg) {
  main.append(h('h1', {}, 'Not one of your pupils'),
    h('p', { class: 'panel', id: 'pupil-not-found' }, /^\d+$/.test(arg || '')
      ? `Pupil number ${arg} is not one of your pupils, so this device holds nothing about them. `
        + 'If you should be working with them, ask the SENCO to add you to their group or class, then sync.'
      : 'This address does not name a pupil.'),
    h('p', {}, h('a', { class: 'pupil-link', href: '#/home' }, 'Back to your pupils on the home page')));
}

function facts(pupil, klass) {
  const open = (pupil.sen_history || []).find((s) => !s.end_date && s.code === pupil.sen_provision);
  const sen = pupil.sen_provision
    ? `${senWords(pupil.sen_provision)}${open && pupil.sen_provision !== 'N' ? ` since ${friendlyDate(open.start_date)}` : ''}`
    : 'SEN status not recorded';
  const needs = [...(pupil.needs || [])].sort((a, b) => a.rank - b.rank)
    .map((n, i) => `${NEED_WORDS[n.need_type] || n.need_type}${i === 0 ? ' (main need)' : ''}`);
  return h('ul', { class: 'pupil-facts', id: 'pupil-facts' },
    h('li', {}, yearWords(pupil.year_group), klass ? `, ${klass.name} class` : ''),
    h('li', {}, sen),
    needs.length ? h('li', {}, `Needs: ${needs.join('; ')}`) : null);
}

async function passportSection(pupil) {
  const record = await db.getRecord('passport', pupil.id);
  const fields = new Map((await db.getRecords('passport_field'))
    .filter((f) => f.pupil_id === pupil.id && f.value).map((f) => [f.field, f.value]));
  const open = h('p', {}, h('a', { href: `#/passport/${pupil.id}` }, `Open ${personName(pupil)}'s full passport`));
  if (!record && !fields.size) return section('passport-heading', 'Passport', h('p', {}, 'Not written yet.'), open);
  const status = record && record.status === 'agreed'
    ? `Agreed${record.agreed_on ? ` on ${friendlyDate(record.agreed_on)}` : ''}` : 'Draft';
  const shared = record && record.shared_with_parent_on
    ? `Shared with the parents on ${friendlyDate(record.shared_with_parent_on)}; ${record.parent_acknowledged_on
      ? `acknowledged on ${friendlyDate(record.parent_acknowledged_on)}` : 'not acknowledged yet'}.`
    : 'Not shared with the parents yet.';
  const shown = KEY_FIELDS.filter(([key]) => fields.has(key));
  return section('passport-heading', 'Passport',
    h('p', {}, h('strong', {}, 'Status: '), status, '. ', shared),
    shown.length ? h('dl', { class: 'record-rows', id: 'passport-glance' },
      shown.flatMap(([key, label]) => [h('dt', {}, label), h('dd', {}, fields.get(key))]))
      : h('p', {}, 'Not written yet.'),
    open);
}

function attendanceWords(row) {
  const there = (row.sessions_present || 0) + (row.sessions_late || 0);
  const total = there + (row.sessions_absent || 0);
  return total ? [bar(row.attendance_pct, 60), ` (${there} of ${plural(total, 'session')})`] : ['No sessions recorded yet'];
}

function groupCard(enrolment, group, intervention, mapRow, sessions, pupilId) {
  const attended = sessions.map((e) => ({ e, row: e.core.attendance.find((a) => a.pupil_id === pupilId) }));
  const localThere = attended.filter(({ row }) => row.status !== 'absent').length;
  const entry = mapRow && mapRow.entry ? mapRow.entry : null;
  const exit = mapRow && mapRow.exit ? mapRow.exit : null;
  const steps = mapRow && Number.isFinite(mapRow.steps_moved) ? `, ${plural(mapRow.steps_moved, 'step')} on` : '';
  const target = (mapRow && mapRow.target) || enrolment.target;
  const outcome = (mapRow && mapRow.outcome) || enrolment.outcome;
  const when = enrolment.left_on
    ? `From ${friendlyDate(enrolment.joined_on)} to ${friendlyDate(enrolment.left_on)}`
    : `Since ${friendlyDate(enrolment.joined_on)}`;
  return h('li', { class: 'group-item', dataset: { group: String(group.id) } },
    h('h3', {}, group.name),
    h('p', {}, [intervention ? intervention.name : null,
      `${plural(group.sessions_per_week, 'session')} a week of ${group.minutes_per_session} minutes`,
      when].filter(Boolean).join(' · ')),
    h('dl', { class: 'record-rows' },
      h('dt', {}, 'Attendance'),
      h('dd', {}, ...(mapRow ? attendanceWords(mapRow) : [sessions.length
        ? `${localThere} of ${plural(sessions.length, 'session')} recorded on this device`
        : 'No sessions on this device yet'])),
      h('dt', {}, 'Entry → exit'),
      h('dd', {}, !mapRow ? 'Open the provision map once online to see this here.'
        : entry || exit ? `${entry || 'not measured'} → ${exit || 'not measured yet'}${steps}`
          : 'Not measured yet'),
      target ? [h('dt', {}, 'Target'), h('dd', {}, target)] : null,
      outcome ? [h('dt', {}, 'Outcome'), h('dd', {}, outcome)] : null),
    attended.length ? h('ul', { class: 'plain record-list' }, attended.sort((a, b) => newestFirst(a.e, b.e)).slice(0, 3)
      .map(({ e, row }) => recordItem(e, `Session ${friendlyDate(e.date)}: ${ATTENDANCE[row.status] || row.status}`,
        [row.engagement ? `Engagement: ${FACES5[row.engagement - 1]}` : null,
          row.step ? `worked on ${row.step}` : null].filter(Boolean).join(', ')))) : null);
}

async function groupsSection(pupil, entries, mapResult) {
  const enrolments = (await db.getRecords('enrolment')).filter((e) => e.pupil_id === pupil.id)
    .sort((a, b) => (b.joined_on || '').localeCompare(a.joined_on || ''));
  const groups = new Map((await db.getRecords('group')).map((g) => [g.id, g]));
  const interventions = new Map((await db.getRecords('intervention')).map((i) => [i.id, i]));
  const mapGroups = mapResult ? mapResult.data.groups || [] : [];
  const items = enrolments.filter((e) => groups.has(e.group_id)).map((e) => {
    const group = groups.get(e.group_id);
    const mapGroup = mapGroups.find((g) => g.group_id === group.id);
    const mapRow = mapGroup && (mapGroup.pupils || []).find((p) => p.pupil_id === pupil.id);
    const sessions = entries.filter((x) => x.kind === 'session_record' && x.core.group_id === group.id
      && (x.core.attendance || []).some((a) => a.pupil_id === pupil.id));
    return groupCard(e, group, interventions.get(group.intervention_id), mapRow, sessions, pupil.id);
  });
  const source = mapResult ? h('p', { class: 'as-of' }, `Attendance and entry → exit from the provision map of `
    + `${friendlyDateTime(mapResult.fetchedAt)}${mapResult.fresh ? '' : ' (the copy saved on this device)'}.`) : null;
  return section('groups-heading', 'Intervention groups',
    items.length ? [source, h('ul', { class: 'plain', id: 'pupil-groups' }, items)]
      : h('p', {}, 'Not in any intervention group.'));
}

function voiceSection(pupil, entries, templates, mapResult) {
  const voices = entries.filter((e) => e.kind === 'pupil_voice' && e.core.pupil_id === pupil.id);
  let points = voices.map((e) => ({ entry: e, date: e.date, rating: chosenRating(templates.get(
    `${e.template_id}/${e.template_version}`), e.answers || {}) }));
  // Nothing on this device (or nothing rated): the provision map's points for this pupil.
  if (!points.some((p) => p.rating) && mapResult) {
    points = (mapResult.data.groups || []).flatMap((g) => g.voice_trend || [])
      .filter((p) => p.pupil_id === pupil.id && p.face)
      .filter((p, i, all) => all.findIndex((q) => q.date === p.date && q.face === p.face) === i)
      .map((p) => ({ entry: null, date: p.date, rating: p }));
  }
  const rated = points.filter((p) => p.rating).sort((a, b) => a.date.localeCompare(b.date));
  const chart = rated.length ? h('figure', { class: 'voice-chart' },
    h('div', { class: 'chart-frame' }, ratingTrend(rated.slice(-12).map((p) => ({ ...p.rating, date: p.date })),
      { label: 'How the pupil said they feel' })),
    h('figcaption', {}, rated.length > 12
      ? `The last 12 of ${plural(rated.length, 'answer')}, oldest on the left. In words:`
      : 'Oldest on the left. In words:'),
    h('ol', { class: 'plain record-list', id: 'voice-words' }, rated.map((p) => {
      const asked = p.rating.prompt ? p.rating.prompt.replace('{intervention}', 'the group sessions') : null;
      const stopped = p.entry && p.entry.core.partial ? 'Stopped part-way.' : null;
      return p.entry ? recordItem(p.entry, `${friendlyDate(p.date)}: ${p.rating.face}`, asked, stopped && ` ${stopped}`)
        : h('li', {}, timeEl(h, p.date), `: ${p.rating.face}`);
    })))
    : h('p', {}, 'No faces or ratings chosen yet.');
  const others = voices.filter((e) => !points.find((p) => p.entry === e && p.rating)).sort(newestFirst);
  return section('voice-heading', 'Pupil voice', chart,
    others.length ? [h('p', {}, 'Also recorded, without a face or rating:'),
      h('ul', { class: 'plain record-list' }, others.map((e) => recordItem(e, `Pupil voice ${friendlyDate(e.date)}`,
        e.withheld ? 'Some answers were passed to the safeguarding lead.' : null)))] : null);
}

function conversationsSection(pupil, entries) {
  if (!reads('conversation')) {
    return section('conversations-heading', 'Conversations with parents',
      h('p', {}, 'Teachers and the SENCO record these; they are not shown to teaching assistants.'));
  }
  const talks = entries.filter((e) => e.kind === 'conversation' && e.core.pupil_id === pupil.id).sort(newestFirst);
  return section('conversations-heading', 'Conversations with parents', talks.length
    ? h('ul', { class: 'plain record-list', id: 'pupil-conversations' }, talks.map((e) => {
      const c = e.core;
      const who = (c.attendees || []).map((a) => a.name).join(', ');
      const bits = [c.targets && c.targets.length ? `${plural(c.targets.length, 'target')} agreed` : null,
        c.actions && c.actions.length ? plural(c.actions.length, 'action') : null,
        c.next_meeting ? `next meeting ${friendlyDate(c.next_meeting)}` : null,
        c.parent_acknowledged ? 'acknowledged by the parent' : 'not yet acknowledged by the parent'];
      const said = bits.filter(Boolean).join(', ');
      return recordItem(e, `Conversation ${friendlyDate(e.date)}`,
        `${who ? `With ${who}: ` : ''}${said.charAt(0).toUpperCase()}${said.slice(1)}.`);
    }))
    : h('p', {}, 'No conversations with the parents recorded yet.'));
}

function walksSection(pupil, entries, templates, classes) {
  if (!reads('learning_walk')) {
    return section('walks-heading', 'Learning walks',
      h('p', {}, 'The SENCO and teachers record these; they are not shown to teaching assistants.'));
  }
  const mentions = entries.filter((e) => e.kind === 'learning_walk').map((e) => ({ e,
    stops: (e.core.stops || []).filter((s) => pupil.class_id && s.class_id === pupil.class_id) }))
    .filter(({ e, stops }) => stops.length || e.core.concern_pupil_id === pupil.id)
    .sort((a, b) => newestFirst(a.e, b.e)).slice(0, 3);
  const klass = classes.get(pupil.class_id);
  return section('walks-heading', 'Learning walks', mentions.length
    ? [h('p', {}, `The latest walks that stopped in ${klass ? `${klass.name} class` : "the pupil's class"}, newest first.`),
      h('ul', { class: 'plain record-list', id: 'pupil-walks' }, mentions.map(({ e, stops }) => {
        const template = templates.get(`${e.template_id}/${e.template_version}`);
        const prompts = new Map(templateQuestions(template).map((q) => [q.id, q.prompt]));
        const contexts = new Map(((template && template.definition.stop_contexts) || []).map((c) => [c.value, c.label]));
        return recordItem(e, `Learning walk ${friendlyDate(e.date)}`,
          h('ul', {}, stops.map((s) => h('li', {}, `${contexts.get(s.context) || 'Stop'}${s.area ? `, ${s.area}` : ''}: `,
            (s.judgements || []).length ? s.judgements.map((j) => {
              const rag = RAG.find((r) => r.value === j.rag);
              return `${prompts.get(j.look_for) || j.look_for}: ${rag ? `${rag.glyph} ${rag.word}` : j.rag}`;
            }).join('; ') : 'no judgements'))));
      }))]
    : h('p', {}, 'No learning walk on this device stopped in the class yet.'));
}

export async function render(main, ctx) {
  const id = /^\d+$/.test(ctx.arg || '') ? Number(ctx.arg) : null;
  const pupil = id === null ? null : await db.getRecord('pupil', id);
  if (!pupil) { notFound(main, ctx.arg); return; }
  const [entries, templateRows, classRows, mapResult] = await Promise.all([allEntries(),
    db.getRecords('template'), db.getRecords('class'),
    cachedGet('provision-map', '/api/v1/provision-map').catch(() => null)]);
  const templates = new Map(templateRows.map((t) => [`${t.template_id}/${t.version}`, t]));
  const classes = new Map(classRows.map((c) => [c.id, c]));
  const range = await olderThan(entries);
  // An older record says what the pupil chose in the words its local copy would.
  const said = (e) => (e.kind === 'pupil_voice'
    ? (chosenRating(templates.get(`${e.template_id}/${e.template_version}`), e.answers || {}) || {}).face : null);
  main.append(h('h1', {}, personName(pupil)), facts(pupil, classes.get(pupil.class_id)), olderNote(range) || '',
    await passportSection(pupil),
    await groupsSection(pupil, entries, mapResult),
    voiceSection(pupil, entries, templates, mapResult),
    conversationsSection(pupil, entries),
    walksSection(pupil, entries, templates, classes),
    olderSection(pupil, entries, range, said) || '');
}
