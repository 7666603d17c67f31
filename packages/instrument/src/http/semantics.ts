/**
 * HTTP attribute values as the OpenTelemetry semantic conventions define them.
 */

const KNOWN_METHODS = new Set(['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE', 'QUERY']);

/** The method as sent when it is a known one, otherwise `_OTHER` (bounded label values). */
export function normalizeMethod(method: string | undefined): string {
  if (method === undefined) return '_OTHER';
  if (KNOWN_METHODS.has(method)) return method;
  const upper = method.toUpperCase();
  return KNOWN_METHODS.has(upper) ? upper : '_OTHER';
}

/** Status recorded for a request the client abandoned before the response was complete. */
export const CLIENT_CLOSED_STATUS = 499;

/** The path part of a request target (no query string). */
export function pathOf(target: string | undefined): string {
  if (!target) return '/';
  const q = target.indexOf('?');
  return q === -1 ? target : target.slice(0, q);
}
