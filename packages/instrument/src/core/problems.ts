/**
 * Every invalid option at once: the checks of `instrument()`'s options run to the end, and what
 * they found is thrown together — the one error as it is, or one error listing each — so a
 * service with three mistakes is fixed in one round, not three.
 */
import { INVALID_OPTION } from './errors.js';
import type { CodedError } from './errors.js';

/** The error thrown for more than one invalid option; `errors` holds each, in the order found. */
export interface InvalidOptionsError extends CodedError {
  readonly errors: readonly CodedError[];
}

function isOptionError(err: unknown): err is CodedError {
  return err instanceof Error && (err as Partial<CodedError>).code === INVALID_OPTION;
}

/**
 * One error for all of `errors`: a `TypeError` when each is one (wrong shapes only), else an
 * `Error`; the message lists each on its own line.
 */
export function invalidOptionsError(errors: readonly CodedError[]): InvalidOptionsError {
  const message = `${errors.length} invalid options:\n${errors.map((e) => `- ${e.message}`).join('\n')}`;
  const err = errors.every((e) => e instanceof TypeError) ? new TypeError(message) : new Error(message);
  return Object.assign(err, { code: INVALID_OPTION, errors: Object.freeze([...errors]) });
}

/** Collects option errors while the checks go on. */
export class OptionProblems {
  private readonly list: CodedError[] = [];

  /** Runs `check`; an option error it throws is kept and `fallback` returned. Other errors are thrown. */
  check<T>(check: () => T, fallback: T): T {
    try {
      return check();
    } catch (err) {
      if (!isOptionError(err)) throw err;
      this.list.push(err);
      return fallback;
    }
  }

  add(err: CodedError): void {
    this.list.push(err);
  }

  /** Throws what was found: the single error itself, or {@link invalidOptionsError}. */
  throwIfAny(): void {
    if (this.list.length === 1) throw this.list[0]!;
    if (this.list.length > 1) throw invalidOptionsError(this.list);
  }
}
