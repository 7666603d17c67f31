import { describe, expect, it } from 'vitest';
import { accounts, allAccounted, ledger } from '../accounting.ts';
import type { LogTally } from '../log-reader.ts';
import type { Snapshot } from '../metrics.ts';
import type { Instance } from '../services.ts';

const instance = { service: 'users', id: 'users-1', pid: 7, killed: false } as unknown as Instance;
const tally = (lines: number): LogTally => ({ linesByPid: new Map([[7, lines]]), auditIds: new Set(), errorIds: new Set(), unparsed: 0, longestPauseMs: 0 });
const snapshot = (syslogDropped: number, syslogUnconfirmed: number, stdoutDropped = 0): Snapshot => ({
  at: 0, series: 1, rssBytes: 1, heapUsedBytes: 1, heapTotalBytes: 1, externalBytes: 0, eventLoopP99Seconds: 0,
  syslogDropped, syslogUnconfirmed, stdoutDropped, spansDropped: 0, propagationDropped: 0, activeRequests: 0, serverRequests: 10, clientRequests: 0,
});
const account = (readFromStdout: number, received: number, dropped: number, unconfirmed: number, stdoutDropped = 0) =>
  accounts([instance], tally(readFromStdout), new Map([[7, received]]), { 'users-1': 10 }, new Map([['users-1', snapshot(dropped, unconfirmed, stdoutDropped)]]))[0]!;

describe('the soak ledger', () => {
  it('names the acknowledged request IDs the logs lack', () => {
    expect(ledger(new Set(['a', 'b', 'c']), new Set(['a', 'c', 'x']))).toEqual({ acknowledged: 3, written: 2, lost: 1, examples: ['b'] });
  });

  it('holds unconfirmed syslog records apart: those that arrived are not counted twice', () => {
    // 100 produced, 80 arrived, 15 dropped for certain, 10 unconfirmed of which 5 arrived.
    const a = account(100, 80, 15, 10);
    expect(a.syslog).toEqual({ produced: 100, received: 80, dropped: 15, unconfirmed: 10, unconfirmedArrived: 5, unaccounted: -5 });
    expect(allAccounted([a])).toBe(true);
  });

  it('counts the lines stdout dropped as produced: they went to syslog all the same', () => {
    const a = account(90, 100, 0, 0, 10);
    expect(a.syslog).toMatchObject({ produced: 100, received: 100, unaccounted: 0 });
  });

  it('finds a syslog line that neither arrived nor was counted', () => {
    const a = account(100, 80, 15, 4);
    expect(a.syslog.unaccounted).toBe(1);
    expect(a.syslog.unconfirmedArrived).toBe(0);
    expect(allAccounted([a])).toBe(false);
    expect(allAccounted([{ ...a, killed: true }])).toBe(true);
  });
});
