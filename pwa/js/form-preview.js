// A school form as staff will meet it, in a phone-sized frame: every question with its real
// control (faces and RAG with their words and shapes), follow-ups appearing after the answers
// that lead to them. Answers given here go nowhere.
import { questionControl, visibleQuestions } from './questions.js';
import { h, ragChoices } from './ui.js';
import { TYPE_WORDS } from './form-draft.js';
import { promptWords } from './form-cards.js';

const OWN_FIELDS = {
  session_record: 'The session form’s own fields come first: group, date, minutes, attendance and '
    + 'engagement for each pupil. Then the form’s own questions:',
};

/** def: {title, sections} (a draft's or a published version's). Returns the frame. */
export function phonePreview(kind, def, label = 'Preview on a phone-sized screen') {
  const answers = {};
  const frame = h('div', { class: 'phone-frame', role: 'region', 'aria-label': label, tabindex: '0' });
  // Names are prefixed so the preview's radios never join a group of the same name on the page.
  const named = (q) => ({ ...q, id: `pv-${q.id || q._key}`, prompt: promptWords(q.prompt),
    show_if: q.show_if ? { ...q.show_if, question: `pv-${q.show_if.question}` } : undefined });
  const draw = () => {
    const parts = [h('p', { class: 'phone-title' }, def.title || 'Untitled form')];
    if (OWN_FIELDS[kind]) parts.push(h('p', { class: 'hint' }, OWN_FIELDS[kind]));
    for (const section of def.sections) {
      if (!section.questions.length) continue;
      parts.push(h('h3', {}, section.repeat === 'per_stop' ? `At each stop: ${section.title}` : section.title));
      if (section.repeat === 'per_pupil') {
        parts.push(h('p', { class: 'hint' }, 'Asked for each pupil in the session form’s own fields.'));
        continue;
      }
      const own = section.questions.filter((q) => !(kind === 'session_record' && q.core)).map(named);
      for (const q of section.repeat ? own : visibleQuestions(own, answers)) {
        const control = section.repeat === 'per_stop' && q.type === 'rag'
          ? ragChoices(q.prompt || 'A look-for (no words yet)', q.id, answers[q.id], (v) => { answers[q.id] = v; })
          : questionControl({ ...q, prompt: q.prompt || 'A question (no words yet)' }, answers);
        parts.push(control || h('p', {}, `${q.prompt} (${TYPE_WORDS[q.type] || q.type})`));
      }
    }
    frame.replaceChildren(...parts);
  };
  // A follow-up comes in or goes out with the answer before it: redraw, keeping the user's place.
  frame.addEventListener('change', (event) => {
    const { name, value } = event.target;
    if (!name || !def.sections.some((s) => s.questions.some((q) => q.show_if))) return;
    draw();
    frame.querySelector(`[name="${CSS.escape(name)}"][value="${CSS.escape(value)}"]`)?.focus();
  });
  draw();
  return frame;
}
