/**
 * The end-of-run ledger: what the handlers acknowledged against what the logs hold (audit events,
 * error reports), and, per process, what was produced against what arrived or was counted as
 * dropped (syslog lines, spans). A killed process's last unshipped lines and spans die with it;
 * they are shown apart and not held against the package.
 */
import type { LogTally } from './log-reader.ts';
import type { Snapshot } from './metrics.ts';
import type { Instance } from './services.ts';

/** Acknowledged against written. */
export interface Ledger {
  acknowledged: number;
  written: number;
  lost: number;
  /** Some of the lost request IDs. */
  examples: string[];
}

/** What `acked` request IDs the logs hold. */
export function ledger(acked: ReadonlySet<string>, logged: ReadonlySet<string>): Ledger {
  const missing = [...acked].filter((id) => !logged.has(id));
  return { acknowledged: acked.size, written: acked.size - missing.length, lost: missing.length, examples: missing.slice(0, 5) };
}

/** One process's syslog and span accounts. */
export interface InstanceAccount {
  instance: string;
  pid: number;
  killed: boolean;
  syslog: {
    /** Lines read from the process's stdout plus the lines its stdout dropped (counted). */
    produced: number;
    received: number;
    /** Counted as dropped for certain (every reason but `unconfirmed`). */
    dropped: number;
    /** Counted as `unconfirmed`: written into a connection that broke; each may or may not have arrived. */
    unconfirmed: number;
    /** How many of the unconfirmed did arrive (what arrived beyond produced − dropped − unconfirmed). */
    unconfirmedArrived: number;
    /** Produced and neither received nor counted (0 or below is whole). */
    unaccounted: number;
  };
  spans: { produced: number; exported: number; dropped: number; unaccounted: number };
}

/**
 * The accounts of every instance. `snapshots` holds each live instance's last scrape (a killed
 * one's last scrape before the kill); `unaccounted` is what was produced and neither arrived nor
 * was counted as dropped (0 or below is whole; below 0 means more arrived than the counters
 * predicted, e.g. spans of requests not counted in RED).
 */
export function accounts(
  instances: readonly Instance[],
  tally: LogTally,
  received: ReadonlyMap<number, number>,
  spans: Readonly<Record<string, number>>,
  snapshots: ReadonlyMap<string, Snapshot>,
): InstanceAccount[] {
  return instances.map((i) => {
    const snap = snapshots.get(i.id);
    // Every line goes to stdout and to syslog: what the soak read from stdout, plus what stdout
    // dropped (counted) when the soak's reader fell behind.
    const produced = (tally.linesByPid.get(i.pid) ?? 0) + (snap?.stdoutDropped ?? 0);
    const got = received.get(i.pid) ?? 0;
    const syslogDropped = snap?.syslogDropped ?? 0;
    const unconfirmed = snap?.syslogUnconfirmed ?? 0;
    const syslogGap = produced - got - syslogDropped - unconfirmed;
    const spansProduced = (snap?.serverRequests ?? 0) + (snap?.clientRequests ?? 0);
    const exported = spans[i.id] ?? 0;
    const spansDropped = snap?.spansDropped ?? 0;
    return {
      instance: i.id,
      pid: i.pid,
      killed: i.killed,
      syslog: {
        produced,
        received: got,
        dropped: syslogDropped,
        unconfirmed,
        unconfirmedArrived: Math.min(unconfirmed, Math.max(0, -syslogGap)),
        unaccounted: syslogGap,
      },
      spans: { produced: spansProduced, exported, dropped: spansDropped, unaccounted: spansProduced - exported - spansDropped },
    };
  });
}

/** Whether every live instance's lines and spans are accounted for. */
export function allAccounted(list: readonly InstanceAccount[]): boolean {
  return list.every((a) => a.killed || (a.syslog.unaccounted <= 0 && a.spans.unaccounted <= 0));
}
