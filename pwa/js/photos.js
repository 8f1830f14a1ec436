// Photos: downscale on the device (≤1600 px JPEG) so uploads stay small on school Wi-Fi, and
// name them by the SHA-256 of the exact bytes we will upload, which is what the server checks.
import { h } from './ui.js';

const MAX_SIDE = 1600;
const QUALITY = 0.85;

export async function sha256Hex(blob) {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Decode, scale to fit MAX_SIDE and re-encode as JPEG; also drops EXIF/GPS on the device. */
export async function downscale(file) {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  return new Promise((resolve, reject) => canvas.toBlob(
    (blob) => (blob ? resolve(blob) : reject(new Error('Could not encode the photo.'))),
    'image/jpeg', QUALITY));
}

/** Prepare a picked file for the outbox: {sha256, blob, type, size}. */
export async function preparePhoto(file) {
  const blob = await downscale(file);
  return { sha256: await sha256Hex(blob), blob, type: 'image/jpeg', size: blob.size };
}

/**
 * A photo picker: <input type=file capture=environment> plus thumbnails. photos is the array
 * the caller reads at save time; each item is a prepared photo.
 */
export function photoPicker(label, photos) {
  const list = h('ul', { class: 'thumbs', 'aria-live': 'polite' });
  const status = h('span', { class: 'hint' }, 'No photos. Avoid pupil faces unless consent is recorded.');
  const picker = h('input', { type: 'file', accept: 'image/*', capture: 'environment', multiple: true,
    onchange: async () => {
      status.textContent = 'Preparing photo…';
      for (const file of picker.files) {
        const photo = await preparePhoto(file);
        if (photos.some((p) => p.sha256 === photo.sha256)) continue;
        photos.push(photo);
        const url = URL.createObjectURL(photo.blob);
        list.append(h('li', {}, h('img', { src: url, alt: `Photo ${photos.length}` })));
      }
      picker.value = '';
      status.textContent = `${photos.length} photo${photos.length === 1 ? '' : 's'} ready.`;
    } });
  const id = `photo-${Math.random().toString(36).slice(2, 8)}`;
  picker.id = id;
  return h('div', { class: 'field photo-field' },
    picker, h('label', { for: id, class: 'button secondary' }, label), status, list);
}
