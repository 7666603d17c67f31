/**
 * One report per outage, and hooks that cannot hurt the service. An outage starts with the first
 * failure after a healthy period and ends when a TCP/TLS connection has stayed up for
 * {@link HEALTHY_AFTER_MS}, or after
 * {@link OUTAGE_QUIET_MS} without a failure. The second rule is the only one for UDP: its socket
 * "connects" without any collector, and a dead collector shows only as errors on sends.
 */
import { SYSLOG_UNAVAILABLE } from '../../core/errors.js';
import type { SyslogDropReason, SyslogHooks } from './shipper-types.js';

/** Time without a failure after which the next failure is a new outage. */
export const OUTAGE_QUIET_MS = 60_000;

/**
 * How long a TCP/TLS connection must stay up to end an outage. A collector that accepts and then
 * drops every connection (one that refuses the client certificate after the TLS 1.3 handshake,
 * or closes at once) is one outage, not one report per attempt.
 */
export const HEALTHY_AFTER_MS = 1_000;

function warn(err: Error): void {
  process.emitWarning(`${err.message} (log shipping to syslog continues when the collector is back; stdout is unaffected)`, {
    code: SYSLOG_UNAVAILABLE,
  });
}

/** Calls the hooks, swallowing what they throw; decides which failures are reported. */
export class Outages {
  #inOutage = false;
  #lastFailureAt = 0;
  readonly #hooks: SyslogHooks;

  constructor(hooks: SyslogHooks) {
    this.#hooks = hooks;
  }

  /** A failure: reported when it starts an outage, otherwise only remembered. */
  failed(err: Error): void {
    const now = Date.now();
    const quiet = now - this.#lastFailureAt > OUTAGE_QUIET_MS;
    this.#lastFailureAt = now;
    if (this.#inOutage && !quiet) return;
    this.#inOutage = true;
    this.report(err);
  }

  /** The collector was reached: the next failure starts a new outage. */
  recovered(): void {
    this.#inOutage = false;
  }

  /** Reports `err` now (an unexpected error, not an outage). */
  report(err: unknown): void {
    const error = err instanceof Error ? err : new Error(String(err));
    try {
      (this.#hooks.onError ?? warn)(error);
    } catch {
      // a reporting hook that throws must not reach the service
    }
  }

  /** Counts `n` dropped records. */
  dropped(n: number, reason: SyslogDropReason): void {
    try {
      this.#hooks.onDrop?.(n, reason);
    } catch {
      // a counting hook that throws must not reach the service
    }
  }
}
