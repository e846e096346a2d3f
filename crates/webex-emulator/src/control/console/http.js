// HTTP for the chat page: the public API with a person's token, and the admin API.

import {trackingId} from './ids.js';

/** An error answer, with what the emulator said and its tracking id. */
export class ApiError extends Error {
  constructor(method, url, status, message, tracking) {
    super(`${method} ${new URL(url, location.href).pathname}: ${status} ${message || ''}`.trim() +
      (tracking ? ` (trackingid ${tracking})` : ''));
    this.status = status;
    this.webexMessage = message;
  }
}

/**
 * A request; the parsed JSON body (null when empty). With `token`, it carries the token and a
 * tracking id, as the SDKs send them.
 */
export async function request(method, url, {token, body, form, keepalive = false} = {}) {
  const headers = {};
  if (token) {
    headers.authorization = `Bearer ${token}`;
    headers.trackingid = trackingId();
  }
  let payload;
  if (form) {
    payload = form;
  } else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const response = await fetch(url, {method, headers, body: payload, keepalive});
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (_) {
    json = null;
  }
  if (!response.ok) {
    throw new ApiError(method, url, response.status, (json && json.message) || text,
      response.headers.get('trackingid'));
  }

  return json;
}

/** A request to the admin API (same origin, no token). */
export function admin(method, path, body) {
  return request(method, path, {body});
}
