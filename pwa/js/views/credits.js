// Picture credits: the attribution CC BY-SA 4.0 asks for, and which OpenMoji symbols the app
// uses. Reached from the home screen and from the pupil-mode set-up; never from inside locked
// pupil mode (the router sends every address there back to the questions).
import { fetchIndex, load, symbolUrl } from '../symbols.js';
import { faceSvg, h } from '../ui.js';

const OPENMOJI = 'https://openmoji.org/';
const LICENCE = 'https://creativecommons.org/licenses/by-sa/4.0/';

export async function render(main) {
  // The server's list when online; else the copy kept when staff switched the pictures on.
  const index = (await fetchIndex()) || (await load()).index;
  main.append(h('h1', {}, 'Picture credits and licences'),
    h('h2', {}, 'Faces'),
    h('p', {}, 'The faces shown by default, like these, are drawn by this app itself: ',
      h('span', { class: 'credit-faces' }, [1, 3, 5].map((mood) => faceSvg(mood))), '.'),
    h('h2', {}, 'OpenMoji'),
    h('p', { id: 'openmoji-attribution' }, 'Emoji artwork by ', h('a', { href: OPENMOJI }, 'OpenMoji'),
      ' – the open-source emoji and icon project. License: ', h('a', { href: LICENCE }, 'CC BY-SA 4.0'), '.'),
    h('p', {}, 'Staff can choose to show these pictures in pupil mode instead of the app’s own faces, '
      + 'one device at a time. They are used as published, without changes.'),
    index ? symbolTable(index)
      : h('p', { id: 'openmoji-missing' }, 'The OpenMoji pictures are not installed on this server, '
        + 'so pupil mode uses the app’s own faces.'));
}

function symbolTable(index) {
  return h('div', {},
    h('p', {}, `OpenMoji version ${index.version}. `,
      h('a', { href: '/symbols/openmoji/LICENSE.txt' }, 'Full licence text'), '.'),
    h('table', { class: 'data-table', id: 'openmoji-symbols' },
      h('caption', { class: 'visually-hidden' }, 'OpenMoji symbols used in this app'),
      h('thead', {}, h('tr', {}, ['Picture', 'Used for', 'OpenMoji name', 'Code'].map((c) =>
        h('th', { scope: 'col' }, c)))),
      h('tbody', {}, index.symbols.map((s) => h('tr', {},
        h('td', {}, h('img', { src: symbolUrl(s), alt: '', class: 'symbol', width: 48, height: 48 })),
        h('td', {}, s.meaning), h('td', {}, s.name), h('td', {}, s.hex))))));
}
