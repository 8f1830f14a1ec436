// Build entry ops exactly as schemas/entries.py expects them, and find the templates to fill.
import * as db from './db.js';
import { uuid } from './ui.js';

/**
 * An entry op; device_seq is assigned by db.enqueue inside its transaction. A correction or a
 * withdrawal names the entry and the rev it follows (js/records.js works them out).
 */
export function entryOp(kind, template, core, answers = {}, { entryId, baseRev = null, deleted = false } = {}) {
  return {
    op_id: uuid(),
    device_seq: 0,
    type: 'entry',
    entry: {
      entry_id: entryId || uuid(),
      base_rev: baseRev,
      deleted,
      kind,
      template_id: template.template_id,
      template_version: template.version,
      recorded_at: new Date().toISOString(),
      core,
      answers,
    },
  };
}

/** Latest version of each template of a kind, built-ins first. */
export async function templatesOf(kind) {
  const latest = new Map();
  for (const t of await db.getRecords('template')) {
    if (t.kind !== kind) continue;
    const seen = latest.get(t.template_id);
    if (!seen || seen.version < t.version) latest.set(t.template_id, t);
  }
  return [...latest.values()].sort((a, b) => a.template_id.localeCompare(b.template_id));
}

/** Answers keep only what was given: the server treats "" and [] as unanswered anyway. */
export function compact(answers) {
  return Object.fromEntries(Object.entries(answers).filter(([, v]) =>
    v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && !v.length)));
}

/** Questions of a template, flattened with their section. */
export function questionsOf(definition) {
  return (definition.sections || []).flatMap((s) => s.questions.map((q) => ({ ...q, section: s })));
}

/** The pupil-voice prompt set for a year group: what suits 5 does not suit 14. */
export function ageBandFor(yearGroup) {
  if (['N1', 'N2', 'R', '1', '2'].includes(yearGroup)) return 'pv-early-years-ks1';
  const year = Number(yearGroup);
  if (year >= 3 && year <= 6) return 'pv-ks2';
  return 'pv-ks3-plus';
}
