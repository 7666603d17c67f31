/**
 * Secrets never reach a log line: header and field paths redacted by pino, and sensitive query
 * parameters masked in the paths Periscope logs.
 */
import type { Logger } from 'pino';
import { pinoInternal, setWildcardRedactor, wildcardRedactor } from './pino-internals.js';

/** What a redacted value is replaced with. */
export const CENSOR = '[REDACTED]';

const SECRET_HEADERS = ['authorization', 'cookie', 'set-cookie', 'proxy-authorization'];
const SECRET_FIELDS = ['password', 'token', 'access_token', 'refresh_token', 'secret', 'api_key'];

/** Query parameters whose values are always masked in logged paths. */
export const SECRET_QUERY_PARAMS: readonly string[] = Object.freeze([
  'token', 'access_token', 'refresh_token', 'id_token', 'password', 'passwd', 'secret', 'client_secret',
  'api_key', 'apikey', 'key', 'signature', 'sig', 'code', 'auth',
]);

/** The query parameters masked for a service: {@link SECRET_QUERY_PARAMS} and the caller's own, lower case. */
export function secretQueryParams(extra: readonly string[]): ReadonlySet<string> {
  return new Set([...SECRET_QUERY_PARAMS, ...extra.map((p) => p.toLowerCase())]);
}

function prop(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `["${name}"]`;
}

/**
 * pino `redact.paths` for secret headers (a `headers` object logged at the top or one level down,
 * as `req.headers` is) and secret fields (at the top or one level down). Every path costs time
 * on every line, so the list stays this short.
 */
export function redactPaths(extra: readonly string[]): string[] {
  const paths: string[] = [];
  for (const h of SECRET_HEADERS) paths.push(`headers${prop(h)}`, `*.headers${prop(h)}`);
  for (const f of SECRET_FIELDS) paths.push(f, `*.${f}`);
  return [...paths, ...extra];
}

/**
 * Masks the values of secret query parameters in a request target (`/cb?token=abc` →
 * `/cb?token=[REDACTED]`). Parameter names compare case-insensitively; the rest is kept as sent.
 */
export function redactQuery(target: string, secretParams: ReadonlySet<string>): string {
  const q = target.indexOf('?');
  if (q === -1) return target;
  const pairs = target.slice(q + 1).split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const rawName = eq === -1 ? pair : pair.slice(0, eq);
    let name = rawName;
    try {
      name = decodeURIComponent(rawName.replace(/\+/g, ' '));
    } catch {
      // A malformed escape is compared as sent.
    }
    return secretParams.has(name.toLowerCase()) && eq !== -1 ? `${rawName}=${CENSOR}` : pair;
  });
  return `${target.slice(0, q)}?${pairs.join('&')}`;
}

/**
 * pino (10) runs the redactor of wildcard paths (`*.password`) on every top-level value of a
 * line, strings and numbers and the message included, and that redactor (`@pinojs/redact`, not
 * strict) clones and walks each one: about 3 µs a line for nothing, since a path below a key
 * cannot match inside a string. This lets primitives skip it; they are serialized exactly as the
 * redactor would (pino's own serializer), so every line keeps its bytes. Objects go through it
 * as before.
 */
export function redactObjectsOnly(logger: Logger): void {
  const stringifiers = pinoInternal(logger, 'stringifiersSym');
  const redact = stringifiers && wildcardRedactor(stringifiers);
  const stringify = pinoInternal(logger, 'stringifySym');
  if (stringifiers === undefined || redact === undefined || typeof stringify !== 'function') return;
  const safe = pinoInternal(logger, 'stringifySafeSym');
  setWildcardRedactor(stringifiers, (value: unknown) => (value !== null && typeof value === 'object' ? redact(value) : stringify(value, safe)));
}

