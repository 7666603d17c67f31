/**
 * Telemetry never breaks a request: a failure inside Periscope (an exporter, a log destination,
 * request recording) is reported once per kind and the work goes on.
 */
import type { Logger } from 'pino';

/** Reports a telemetry failure of `kind` (e.g. `'span export'`); the first of each kind only. */
export type Report = (kind: string, err: unknown) => void;

/** A {@link Report} that writes to the service's logger once it exists, and to a process warning before. */
export interface Reporter {
  readonly report: Report;
  /** From now on, failures go to `logger`. */
  attach(logger: Logger): void;
}

/** Creates a reporter; each `kind` is reported at most once, so a broken exporter cannot flood the logs. */
export function createReporter(): Reporter {
  const seen = new Set<string>();
  let logger: Logger | undefined;
  const report: Report = (kind, err) => {
    if (seen.has(kind)) return;
    seen.add(kind);
    const message = `periscope: ${kind} failed; the request goes on and telemetry continues (reported once)`;
    try {
      if (logger) logger.warn({ err }, message);
      else process.emitWarning(`${message}: ${(err as Error)?.message ?? String(err)}`);
    } catch {
      // Nothing left to report to.
    }
  };
  return { report, attach: (l) => (logger = l) };
}
