// The one client of the Trainyard REST API in the browser. Errors become ApiError with the
// problem+json's detail and per-field reasons, so forms can show each reason next to its field.
import { session } from './session.js';

export class ApiError extends Error {
  constructor(status, detail, errors = {}) {
    super(detail);
    this.status = status;
    this.errors = errors;
  }
}

export const UNREACHABLE =
  'The Trainyard API cannot be reached. Check that the server is running, then try again.';

export function authHeaders(extra = {}) {
  const headers = { ...extra };
  const key = session.key();
  if (key) headers.Authorization = 'Bearer ' + key;
  return headers;
}

export async function api(path, { method = 'GET', json, body, headers = {}, signal } = {}) {
  const all = authHeaders({ Accept: 'application/json', ...headers });
  if (json !== undefined) {
    all['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  }
  let response;
  try {
    response = await fetch(path, { method, headers: all, body, signal, cache: 'no-store' });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, UNREACHABLE);
  }
  if (!response.ok) throw await problem(response);
  return response.status === 204 ? null : response.json();
}

export async function problem(response) {
  let doc = {};
  try {
    doc = await response.json();
  } catch (_) {
    // not problem+json (a proxy's page): the status says enough
  }
  const error = new ApiError(
    response.status,
    doc.detail || doc.title || 'The API answered HTTP ' + response.status,
    doc.errors || {},
  );
  if (response.status === 401) {
    // The key expired or was revoked while the page was open: back to the login page.
    window.dispatchEvent(new CustomEvent('trainyard:unauthorized', { detail: error.message }));
  }
  return error;
}

export function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, value);
  }
  const text = search.toString();
  return text ? '?' + text : '';
}
