/** The exceptions room's options, checked once when `instrument()` is called: which process-level failures are logged. */
import { boolean } from '../core/options.js';
import type { OptionInput } from '../core/options.js';

export interface ExceptionOptions {
  readonly uncaughtExceptions: boolean;
  readonly unhandledRejections: boolean;
}

export function resolveExceptionOptions({ options: o, check }: OptionInput): ExceptionOptions {
  return {
    uncaughtExceptions: check(() => boolean('uncaughtExceptions', o.uncaughtExceptions, true), true),
    unhandledRejections: check(() => boolean('unhandledRejections', o.unhandledRejections, true), true),
  };
}
