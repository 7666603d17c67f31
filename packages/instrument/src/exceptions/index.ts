/**
 * Error capture for one instrumented app: the tracker that fingerprints and counts every captured
 * error, and the process handlers that log uncaught exceptions and unhandled rejections.
 */
import type { Registry } from 'prom-client';
import type { ResolvedOptions } from '../core/options.js';
import type { LoggerSetup } from '../logging/logger.js';
import type { OverflowPolicy } from '../metrics/overflow.js';
import { installProcessHandlers } from './process-handlers.js';
import { createExceptionTracker, fingerprintedError } from './tracker.js';
import type { ExceptionTracker, FingerprintedError } from './tracker.js';

/** The app's error capture. */
export interface Exceptions {
  readonly tracker: ExceptionTracker;
  /** Captures `err` and returns it in the log line's `err` shape (with fingerprint and first_seen). */
  describe(err: unknown): FingerprintedError;
  /** Removes the process handlers (at shutdown). */
  uninstall(): void;
}

/** Creates the tracker (its type label guarded by `overflow`) and installs the process handlers. */
export function createExceptions(opts: ResolvedOptions, registry: Registry, overflow: OverflowPolicy, logging: LoggerSetup): Exceptions {
  const tracker = createExceptionTracker(registry, { overflow });
  const uninstall = installProcessHandlers({
    logger: logging.logger,
    tracker,
    flushSync: logging.flushSync,
    uncaught: opts.uncaughtExceptions,
    unhandled: opts.unhandledRejections,
  });
  return { tracker, describe: (err) => fingerprintedError(err, tracker.capture(err)), uninstall };
}
