/** Input checks shared by the services' handlers; each failure is an `HttpError` 400 naming the field. */
import { HttpError } from './http-errors.ts';

/** Returns the request body as an object, or throws 400 (also when the body was not JSON). */
export function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'expected a JSON object body (Content-Type: application/json)');
  }
  return body as Record<string, unknown>;
}

/** Returns `source[field]` as a trimmed string of `min`–`max` characters, or throws 400. */
export function stringField(source: Record<string, unknown>, field: string, min: number, max: number): string {
  const value = source[field];
  if (value === undefined || value === null || value === '') throw new HttpError(400, `missing field "${field}"`);
  if (typeof value !== 'string') throw new HttpError(400, `field "${field}" must be a string`);
  const trimmed = value.trim();
  if (trimmed.length < min || trimmed.length > max) {
    throw new HttpError(400, `field "${field}" must be ${min} to ${max} characters, got ${trimmed.length}`);
  }
  return trimmed;
}

/** Parses an optional integer query parameter within bounds; absent → `fallback`; otherwise 400. */
export function intParam(value: unknown, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new HttpError(400, `query parameter "${name}" must be an integer from ${min} to ${max}`);
  }
  return n;
}

/** Returns the bearer token of an `Authorization` header, or throws 401. */
export function bearerToken(header: string | undefined): string {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!match) throw new HttpError(401, 'missing or malformed Authorization header: expected "Bearer <token>"', { 'WWW-Authenticate': 'Bearer' });
  return match[1]!;
}
