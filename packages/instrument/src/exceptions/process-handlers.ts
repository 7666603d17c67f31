/**
 * Process-level error capture: uncaught exceptions and unhandled promise rejections are
 * fingerprinted, counted and logged, and the logs flushed, while Node's own behaviour stays as
 * configured.
 *
 * Everything that goes down Node's uncaught-exception path is watched through
 * `uncaughtExceptionMonitor`, which Node emits before it decides what to do, without changing
 * that decision: with no `uncaughtException` listener the process still prints the error and
 * exits with code 1 (the line is `fatal`, flushed first); when the app has its own listener, the
 * process goes on as the app decided (the line is `error`). That path includes an error thrown
 * at the top level of an ES module and, in the `throw` (default) and `strict`
 * `--unhandled-rejections` modes, unhandled rejections (`origin: "unhandledRejection"`): no
 * `unhandledRejection` listener is added in those modes, since one would count as handling them
 * and keep alive a process that Node would have stopped.
 *
 * In the `warn`, `none` and `warn-with-error-code` modes the process survives an unhandled
 * rejection; a listener logs each as `error`, and in `warn-with-error-code`, when it is the only
 * listener, does what Node does for an unhandled one (a warning and exit code 1).
  */
import type { Logger } from 'pino';
import { rejectionsBecomeExceptions, unhandledRejectionsMode } from './rejection-mode.js';
import type { RejectionMode } from './rejection-mode.js';
import { fingerprintedError } from './tracker.js';
import type { ExceptionTracker } from './tracker.js';

/** Where the error came from, as Node names it. */
export type ErrorOrigin = 'uncaughtException' | 'unhandledRejection';

/** The part of `process` the handlers use (tests pass a stand-in). */
export interface ProcessLike {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Node's own listener type
  on(event: string, listener: (...args: any[]) => void): unknown;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Node's own listener type
  off(event: string, listener: (...args: any[]) => void): unknown;
  listenerCount(event: string): number;
  emitWarning(warning: string, type?: string): void;
  exitCode?: number | string | null | undefined;
}

/** Options of {@link installProcessHandlers}. */
export interface ProcessHandlerOptions {
  readonly logger: Pick<Logger, 'fatal' | 'error'>;
  readonly tracker: ExceptionTracker;
  /** Writes out every buffered log line before returning (the process may exit right after). */
  readonly flushSync: () => void;
  /** Log what goes down Node's uncaught-exception path (it stops the process unless the app listens). */
  readonly uncaught: boolean;
  /** Log unhandled rejections that Node lets the process survive (`--unhandled-rejections=warn|none|warn-with-error-code`). */
  readonly unhandled: boolean;
  /** Default: the mode of this process ({@link unhandledRejectionsMode}). */
  readonly rejectionMode?: RejectionMode;
  /** Default: the global `process`. */
  readonly process?: ProcessLike;
}

/** Messages of the log lines. */
export const PROCESS_ERROR_MESSAGE = Object.freeze({
  /** Nothing handles the exception: Node prints it and exits. */
  fatal: 'uncaught exception; the process exits',
  /** The app's `uncaughtException` listener decided to keep running. */
  handled: "uncaught exception; the app's uncaughtException listener keeps the process running",
  /** An unhandled rejection that Node's mode lets the process survive. */
  rejection: 'unhandled promise rejection; the process continues',
} as const);

// Installations on each process by every instrument() call, oldest first: only the oldest logs,
// so a process with two instrumented apps writes one line per error.
const installationsOf = new WeakMap<ProcessLike, object[]>();

function unhandledWarning(reason: unknown): string {
  const text = reason instanceof Error ? (reason.stack ?? reason.message) : String(reason);
  return `Unhandled promise rejection: ${text}`;
}

/**
 * Installs the handlers; returns the function that removes them (call it at shutdown).
 * @example
 * const uninstall = installProcessHandlers({ logger, tracker, flushSync, uncaught: true, unhandled: true });
 */
export function installProcessHandlers(options: ProcessHandlerOptions): () => void {
  const proc: ProcessLike = options.process ?? process;
  const mode = options.rejectionMode ?? unhandledRejectionsMode();
  const { logger, tracker } = options;
  const self = {};
  let installations = installationsOf.get(proc);
  if (installations === undefined) installationsOf.set(proc, (installations = []));
  installations.push(self);

  const log = (err: unknown, origin: ErrorOrigin, level: 'fatal' | 'error', msg: string) => {
    if (installations[0] !== self) return;
    try {
      logger[level]({ err: fingerprintedError(err, tracker.capture(err)), origin }, msg);
    } catch {
      // Logging must never turn into a second failure while the process handles the first.
    }
    try {
      options.flushSync();
    } catch {
      // Same.
    }
  };

  const monitor = (err: unknown, origin: ErrorOrigin) => {
    if (proc.listenerCount('uncaughtException') === 0) log(err, origin, 'fatal', PROCESS_ERROR_MESSAGE.fatal);
    else log(err, origin, 'error', PROCESS_ERROR_MESSAGE.handled);
  };

  const onRejection = (reason: unknown) => {
    log(reason, 'unhandledRejection', 'error', PROCESS_ERROR_MESSAGE.rejection);
    if (mode === 'warn-with-error-code' && proc.listenerCount('unhandledRejection') === 1) {
      proc.emitWarning(unhandledWarning(reason), 'UnhandledPromiseRejectionWarning');
      proc.exitCode = 1;
    }
  };
  const listenForRejections = options.unhandled && !rejectionsBecomeExceptions(mode);

  if (options.uncaught) proc.on('uncaughtExceptionMonitor', monitor);
  if (listenForRejections) proc.on('unhandledRejection', onRejection);

  let installed = true;
  return () => {
    if (!installed) return;
    installed = false;
    if (options.uncaught) proc.off('uncaughtExceptionMonitor', monitor);
    if (listenForRejections) proc.off('unhandledRejection', onRejection);
    installations.splice(installations.indexOf(self), 1);
  };
}
