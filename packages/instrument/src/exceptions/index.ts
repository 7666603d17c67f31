/**
 * Error capture for one instrumented app: the tracker that fingerprints and counts every
 * unexpected error (expected.ts: a 4xx an error asks for is not one), and the process handlers
 * that log uncaught exceptions and unhandled rejections.
 */
import type { Registry } from 'prom-client';
import type { ResolvedOptions } from '../options.js';
import { serializeError } from '../logging/fields.js';
import type { SerializedError } from '../logging/fields.js';
import type { LoggerSetup } from '../logging/logger.js';
import type { OverflowPolicy } from '../metrics/overflow.js';
import { isExpectedError } from './expected.js';
import { installProcessHandlers } from './process-handlers.js';
import { createExceptionTracker, fingerprintedError } from './tracker.js';
import type { ExceptionTracker, FingerprintedError } from './tracker.js';

/** The app's error capture. */
export interface Exceptions {
  readonly tracker: ExceptionTracker;
  /**
   * A handler's error in the log line's `err` shape: an unexpected one is captured (counted, with
   * fingerprint and first_seen); an expected one (a 4xx status) is only serialized.
   */
  describe(err: unknown): FingerprintedError | SerializedError;
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
  const describe = (err: unknown) => (isExpectedError(err) ? serializeError(err) : fingerprintedError(err, tracker.capture(err)));
  return { tracker, describe, uninstall };
}
