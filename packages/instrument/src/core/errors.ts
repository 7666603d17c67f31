/**
 * Every error code the package uses, and the errors it throws at configuration time. Each error
 * carries a stable `code` so callers can branch on it; the message names the option, the value
 * received and what was expected. The codes are exported, and listed in the README ("Errors").
 */

/** Code of every option-validation error thrown by `instrument()`. */
export const INVALID_OPTION = 'PERISCOPE_INVALID_OPTION';

/** Code of the error thrown when `instrument()` is given something that is not an Express app. */
export const INVALID_APP = 'PERISCOPE_INVALID_APP';

/** Code of the error thrown when `instrument()` is called a second time on the same app. */
export const ALREADY_INSTRUMENTED = 'PERISCOPE_ALREADY_INSTRUMENTED';

/** Code of the error `telemetry.audit()` throws for an event that is not valid. */
export const INVALID_AUDIT_EVENT = 'PERISCOPE_INVALID_AUDIT_EVENT';

/** Code of the error `telemetry.audit()` throws when an audit event could not be written. */
export const AUDIT_WRITE_FAILED = 'PERISCOPE_AUDIT_WRITE_FAILED';

/** Code of the process warning emitted once per outage when the syslog collector cannot be reached (never thrown). */
export const SYSLOG_UNAVAILABLE = 'PERISCOPE_SYSLOG_UNAVAILABLE';

/** An error with a stable machine-readable code. */
export interface CodedError extends Error {
  readonly code: string;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/**
 * A wrong shape (a number where a string belongs): a `TypeError`.
 * @example optionTypeError('service', 42, 'a non-empty string')
 */
export function optionTypeError(option: string, value: unknown, expected: string): CodedError {
  const err = new TypeError(`Invalid option "${option}": got ${describe(value)} (${typeof value}) - expected ${expected}`);
  return Object.assign(err, { code: INVALID_OPTION });
}

/**
 * A value of the right shape that is out of range or malformed: a plain `Error`.
 * @example optionValueError('metricsPort', 70000, 'an integer from 0 to 65535')
 */
export function optionValueError(option: string, value: unknown, expected: string): CodedError {
  const err = new Error(`Invalid option "${option}": got ${describe(value)} - expected ${expected}`);
  return Object.assign(err, { code: INVALID_OPTION });
}

/** Thrown when the first argument of `instrument()` is not an Express application. */
export function appTypeError(value: unknown): CodedError {
  const err = new TypeError(
    `instrument(app, options): got ${describe(value)} as "app" - expected an Express application (the value of express())`,
  );
  return Object.assign(err, { code: INVALID_APP });
}
