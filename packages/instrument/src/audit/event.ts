/**
 * The audit event a caller passes to `telemetry.audit()`, and its validation: checked on every
 * call (an event is data, not configuration), with errors that name the field, the value and
 * what was expected, and carry a stable code.
 */
import { INVALID_AUDIT_EVENT } from '../core/errors.js';
import type { CodedError } from '../core/errors.js';
import { LOG_KEY } from '../core/names.js';
import type { AuditEvent } from '../types.js';

/** The outcomes an audit event may have (the public type is in types.ts). */
export const AUDIT_OUTCOMES = ['success', 'failure'] as const satisfies readonly NonNullable<AuditEvent['outcome']>[];

/** `user.login`: two or more segments of lower-case letters, digits and `_`, each starting with a letter. */
export const ACTION_PATTERN = /^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+$/;
const MAX_ACTION_LENGTH = 128;
const MAX_ID_LENGTH = 256;

/** Keys the audit line sets itself; an event may not set them. */
export const RESERVED_AUDIT_KEYS: readonly string[] = Object.freeze([
  LOG_KEY.time, LOG_KEY.level, LOG_KEY.msg, LOG_KEY.service, LOG_KEY.version, LOG_KEY.hostname, LOG_KEY.pid,
  LOG_KEY.requestId, LOG_KEY.traceId, LOG_KEY.spanId, LOG_KEY.traceFlags, LOG_KEY.logType,
]);

function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${String(value)} (${typeof value})`;
}

function invalid(field: string, value: unknown, expected: string, Kind: ErrorConstructor | TypeErrorConstructor = Error): CodedError {
  const err = new Kind(`audit(event): invalid "${field}": got ${shown(value)} - expected ${expected}`);
  return Object.assign(err, { code: INVALID_AUDIT_EVENT });
}

function optionalId(event: Record<string, unknown>, field: 'actor' | 'target'): void {
  const value = event[field];
  if (value === undefined) return;
  if (typeof value !== 'string') throw invalid(field, value, `a string of 1-${MAX_ID_LENGTH} characters`, TypeError);
  if (value === '' || value.length > MAX_ID_LENGTH) throw invalid(field, value, `a string of 1-${MAX_ID_LENGTH} characters`);
}

/**
 * Checks an event; returns it typed.
 * @throws TypeError (wrong shape) or Error (bad value), with `code: 'PERISCOPE_INVALID_AUDIT_EVENT'`.
 */
export function validateAuditEvent(event: unknown): AuditEvent {
  if (event === null || typeof event !== 'object' || Array.isArray(event)) {
    throw invalid('event', event, 'an object with at least "action"', TypeError);
  }
  const e = event as Record<string, unknown>;
  const { action } = e;
  if (typeof action !== 'string') throw invalid('action', action, 'a string such as "user.login"', TypeError);
  if (action.length > MAX_ACTION_LENGTH || !ACTION_PATTERN.test(action)) {
    throw invalid('action', action, `dotted lower-case segments such as "user.login" or "thought.delete" (at most ${MAX_ACTION_LENGTH} characters)`);
  }
  optionalId(e, 'actor');
  optionalId(e, 'target');
  if (e.outcome !== undefined && !(AUDIT_OUTCOMES as readonly unknown[]).includes(e.outcome)) {
    throw invalid('outcome', e.outcome, `one of ${AUDIT_OUTCOMES.map((o) => `"${o}"`).join(', ')}`);
  }
  for (const key of Object.keys(e)) {
    if (RESERVED_AUDIT_KEYS.includes(key)) throw invalid(key, e[key], 'no value: the audit line sets this key itself');
  }
  return e as AuditEvent;
}
