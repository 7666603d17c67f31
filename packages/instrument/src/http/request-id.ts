/**
 * Request IDs: the caller's `X-Request-ID` when it is safe to reuse, otherwise a new one.
 */
import { randomUUID } from 'node:crypto';

/** 1–128 characters of `[A-Za-z0-9._:-]`, as the telemetry contract allows. */
const VALID_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** True when `value` may be used as a request ID as it is. */
export function isValidRequestId(value: unknown): value is string {
  return typeof value === 'string' && VALID_REQUEST_ID.test(value);
}

/** A new request ID (a random UUID v4). */
export function newRequestId(): string {
  return randomUUID();
}

/**
 * The request ID for an inbound request: the header value when valid, otherwise a new ID.
 * A repeated header (Node joins repeats with ", " or gives an array) is never valid as a whole,
 * so it is replaced rather than echoed.
 */
export function requestIdFrom(header: string | string[] | undefined): string {
  return isValidRequestId(header) ? header : newRequestId();
}
