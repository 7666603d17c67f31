/**
 * Process-level error capture: uncaught exceptions and unhandled promise rejections are
 * fingerprinted, counted and logged, and the logs flushed, while Node's own behaviour stays as
 * configured.
 *
 * Uncaught exceptions are watched through `uncaughtExceptionMonitor`, which Node emits before it
 * decides what to do, without changing that decision: with no `uncaughtException` listener the
 * process still prints the error and exits with code 1 (the line is `fatal`, flushed first);
 * when the app has its own listener, the process goes on as the app decided (the line is
 * `error`).
 *
 * Unhandled rejections depend on `--unhandled-rejections`. In the `throw` (default) and `strict`
 * modes Node raises them as uncaught exceptions, so the monitor sees them (origin
 * `unhandledRejection`) and no `unhandledRejection` listener is added: one would count as
 * handling them and keep a process alive that Node would have stopped. In the `warn`, `none` and
 * `warn-with-error-code` modes the process survives them; a listener logs each as `error`, and
 * in `warn-with-error-code`, when it is the only listener, does what Node does for an unhandled
 * one (a warning and exit code 1).
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
  /** Log uncaught exceptions. */
  readonly uncaught: boolean;
  /** Log unhandled promise rejections. */
  readonly unhandled: boolean;
  /** Default: the mode of this process ({@link unhandledRejectionsMode}). */
  readonly rejectionMode?: RejectionMode;
  /** Default: the global `process`. */
  readonly process?: ProcessLike;
}

/** Message of the log line, from where the error came from and what happens next. */
export function processErrorMessage(origin: ErrorOrigin, outcome: 'exits' | 'continues'): string {
  const what = origin === 'unhandledRejection' ? 'unhandled promise rejection' : 'uncaught exception';
  return outcome === 'exits' ? `${what}; the process exits` : `${what}; the process continues`;
}

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

  const log = (err: unknown, origin: ErrorOrigin, level: 'fatal' | 'error', outcome: 'exits' | 'continues') => {
    if (installations[0] !== self) return;
    try {
      logger[level]({ err: fingerprintedError(err, tracker.capture(err)), origin }, processErrorMessage(origin, outcome));
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
    if (origin === 'unhandledRejection' ? !options.unhandled : !options.uncaught) return;
    const exits = proc.listenerCount('uncaughtException') === 0;
    log(err, origin, exits ? 'fatal' : 'error', exits ? 'exits' : 'continues');
  };

  const onRejection = (reason: unknown) => {
    log(reason, 'unhandledRejection', 'error', 'continues');
    if (mode === 'warn-with-error-code' && proc.listenerCount('unhandledRejection') === 1) {
      proc.emitWarning(unhandledWarning(reason), 'UnhandledPromiseRejectionWarning');
      proc.exitCode = 1;
    }
  };
  const listenForRejections = options.unhandled && !rejectionsBecomeExceptions(mode);

  if (options.uncaught || options.unhandled) proc.on('uncaughtExceptionMonitor', monitor);
  if (listenForRejections) proc.on('unhandledRejection', onRejection);

  let installed = true;
  return () => {
    if (!installed) return;
    installed = false;
    proc.off('uncaughtExceptionMonitor', monitor);
    if (listenForRejections) proc.off('unhandledRejection', onRejection);
    installations.splice(installations.indexOf(self), 1);
  };
}
