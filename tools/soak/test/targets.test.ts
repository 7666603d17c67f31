import { describe, expect, it } from 'vitest';
import type { PhaseSummary } from '../recorder.ts';
import { MIN_TREND_RUN_MS, checkTargets } from '../targets.ts';
import type { RunFacts } from '../targets.ts';

const service = (rssStartMiB: number, rssEndMiB: number) => ({
  rssStartMiB, rssEndMiB, heapStartMiB: 20, heapEndMiB: 20, heapTotalEndMiB: 40, externalEndMiB: 10, eventLoopP99MaxMs: 5, seriesStart: 100, seriesEnd: 100, activeEnd: 0,
});
const phase = (key: string, p99Ms: number, rss: [number, number], measures: PhaseSummary['measures'] = {}): PhaseSummary => ({
  key, fault: key, seconds: 60, requests: 2400, throughputRps: 40, p50Ms: 5, p99Ms, failed: 0, excused: 0, failures: [],
  services: { users: service(...rss) }, notes: [], measures,
});

/** A run whose users service grew 10 % and whose outage p99 doubled, but lost nothing. */
function facts(durationMs: number, auditLost = 0): RunFacts {
  return {
    phases: [
      phase('warmup', 10, [100, 100]),
      phase('baseline', 10, [100, 102]),
      phase('syslog-down', 20, [102, 105]),
      phase('kill', 10, [105, 110], { alert_state: 'firing', alert_after_s: 62, others_down: 0 }),
    ],
    audit: { acknowledged: 10, written: 10 - auditLost, lost: auditLost, examples: auditLost ? ['r-1'] : [] },
    errors: { acknowledged: 5, written: 5, lost: 0, examples: [] },
    accounts: [{ instance: 'users', pid: 1, killed: false, syslog: { produced: 9, received: 8, dropped: 1, unconfirmed: 0, unconfirmedArrived: 0, unaccounted: 0 }, spans: { produced: 4, exported: 4, dropped: 0, unaccounted: 0 } }],
    killed: 'thoughts',
    diskBytes: 1,
    diskBoundBytes: 2,
    finalActive: { users: 0 },
    durationMs,
  };
}

const missed = (r: ReturnType<typeof checkTargets>) => r.filter((t) => !t.met).map((t) => t.target);

describe('soak targets', () => {
  it('judge RSS growth and outage p99 on a full-length run', () => {
    expect(missed(checkTargets(facts(MIN_TREND_RUN_MS)))).toEqual([
      'p99 during "syslog-down" within 20 % of baseline',
      'users: RSS growth after warm-up ≤ 5 %',
    ]);
  });

  it('report but do not judge the trend targets on a smoke run, and say so', () => {
    const results = checkTargets(facts(2 * 60_000));
    expect(missed(results)).toEqual([]);
    expect(results.map((t) => t.target)).toContain('users: RSS growth after warm-up ≤ 5 % (not judged: a 2-minute smoke run)');
  });

  it('judge the loss targets on every run, a smoke run too', () => {
    expect(missed(checkTargets(facts(2 * 60_000, 1)))).toEqual(['audit lines lost: 0']);
  });
});
