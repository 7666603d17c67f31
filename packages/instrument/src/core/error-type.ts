/**
 * The error type: one rule for every signal that names what was thrown — the log line's
 * `err.type`, the `type` label of `periscope_exceptions_total` and the server span's `error.type`.
 *
 * An `Error` is named by its class (`ValidationError`), falling back to its `name` for a plain
 * `Error` whose name was set by hand; a non-error object is `Object`; a primitive is its `typeof`.
 */
export function errorType(err: unknown): string {
  if (err instanceof Error) {
    const className = err.constructor?.name;
    return className && className !== 'Error' ? className : err.name || 'Error';
  }
  if (err !== null && typeof err === 'object') return 'Object';
  return typeof err;
}
