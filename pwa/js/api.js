// The fetch wrapper: same-origin cookies, the CSRF token on writes, the device id on everything,
// and one error type that says whether to retry, ask for a login, or show field messages.

let csrfToken = null;
let deviceId = null;

export function setCsrf(token) { csrfToken = token; }
export function setDeviceId(id) { deviceId = id; }

/** An API failure. kind: 'network' | 'server' (retry later) | 'auth' (log in) | 'client' (fix it). */
export class ApiError extends Error {
  constructor(kind, status, message, errors = {}) {
    super(message);
    this.name = 'ApiError';
    this.kind = kind;
    this.status = status;
    this.errors = errors;
  }

  get retryable() { return this.kind === 'network' || this.kind === 'server'; }

  /** Field messages as "field: message" lines, nested paths joined with dots. */
  get fieldMessages() { return flattenErrors(this.errors); }
}

export function flattenErrors(errors, prefix = '') {
  if (Array.isArray(errors)) {
    if (errors.every((e) => typeof e === 'string')) return errors.map((e) => `${prefix || 'form'}: ${e}`);
    return errors.flatMap((e, i) => flattenErrors(e, `${prefix}[${i}]`));
  }
  if (!errors || typeof errors !== 'object') return errors ? [`${prefix}: ${errors}`] : [];
  return Object.entries(errors).flatMap(([key, value]) =>
    flattenErrors(value, prefix ? `${prefix}.${key}` : key));
}

function kindFor(status) {
  if (status === 401) return 'auth';
  if (status >= 500 || status === 429 || status === 408) return 'server';
  return 'client';
}

async function errorFrom(response) {
  let body = {};
  try { body = await response.json(); } catch { /* not JSON: a proxy or a crash page */ }
  const message = body.message || `The server answered ${response.status}.`;
  return new ApiError(kindFor(response.status), response.status, message, body.errors || {});
}

/**
 * Send a request; resolves with parsed JSON (or null for 204), rejects with an ApiError.
 * timeoutMs: give up after this long, headers and body (an ApiError of kind 'network' with
 * timedOut set). Only for reads someone is waiting on: a push or an upload that is slow on
 * school Wi-Fi is still arriving, and the outbox retries it anyway.
 */
export async function request(method, path, { json, body, headers = {}, timeoutMs } = {}) {
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json', ...headers } };
  if (deviceId) init.headers['X-Device-Id'] = deviceId;
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) init.headers['X-CSRF-Token'] = csrfToken;
  if (json !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(json);
  } else if (body !== undefined) {
    init.body = body;
  }
  const controller = timeoutMs ? new AbortController() : null;
  const timer = controller && setTimeout(() => controller.abort(), timeoutMs);
  if (controller) init.signal = controller.signal;
  try {
    const response = await fetch(path, init);
    if (!response.ok) throw await errorFrom(response);
    if (response.status === 204) return null;
    return await response.json();
  } catch (err) {
    if (controller && controller.signal.aborted) {
      const late = new ApiError('network', 0, 'The server took too long to answer.');
      late.timedOut = true;
      throw late;
    }
    // fetch's own failure (and a body cut off mid-way) is a TypeError; an ApiError from the
    // answer, or a 200 that is not JSON, goes on as it is.
    if (err instanceof TypeError) {
      throw new ApiError('network', 0, 'No connection to the server. Your work is kept on this device.');
    }
    throw err;
  } finally {
    if (timer) clearTimeout(timer);
  }
}

export const get = (path, options = {}) => request('GET', path, options);
export const post = (path, json) => request('POST', path, { json });
