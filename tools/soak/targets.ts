/**
 * The soak's targets (issue 16), each checked in one place against the run's summaries: a target
 * is met or missed, with the numbers that decided it.
 */
import type { InstanceAccount, Ledger } from './accounting.ts';
import type { PhaseSummary } from './recorder.ts';
import type { SoakService } from './services.ts';
import { round } from './stats.ts';

/** One target's verdict. */
export interface TargetResult {
  target: string;
  met: boolean;
  detail: string;
}

/** p99 during an outage may exceed the baseline's by 20 %, or by this many ms when that is more (the noise of a shared 2-core machine at ms latencies). */
export const P99_SLACK = { ratio: 0.2, floorMs: 2 } as const;
/** Most RSS growth over the run after warm-up. */
export const MAX_RSS_GROWTH = 0.05;
/**
 * Runs shorter than this are smoke runs (CI's 2 minutes): the trend targets — RSS growth, p99
 * against the baseline — are reported but not judged, since minutes of phases on a shared
 * 2-core machine cannot tell a leak or a slowdown from noise. The loss targets are judged always.
 */
export const MIN_TREND_RUN_MS = 10 * 60_000;
/** Most series the random-path flood may add, as a share of the distinct paths it sent. */
export const MAX_FLOOD_SERIES_SHARE = 0.01;

/** Everything the targets are checked against. */
export interface RunFacts {
  phases: readonly PhaseSummary[];
  audit: Ledger;
  errors: Ledger;
  accounts: readonly InstanceAccount[];
  killed: SoakService;
  diskBytes: number;
  diskBoundBytes: number;
  /** `http_server_active_requests` per live service once the load has stopped. */
  finalActive: Readonly<Record<string, number>>;
  /** The run's planned length of phases; below {@link MIN_TREND_RUN_MS} trend targets are not judged. */
  durationMs: number;
}

const phase = (facts: RunFacts, key: string) => facts.phases.find((p) => p.key === key);

/** Checks every target. */
export function checkTargets(facts: RunFacts): TargetResult[] {
  const results: TargetResult[] = [];
  const add = (target: string, met: boolean, detail: string) => results.push({ target, met, detail });
  const smoke = facts.durationMs < MIN_TREND_RUN_MS;
  /** A trend target: judged on a full run, reported only (met, marked "not judged") on a smoke run. */
  const addTrend = (target: string, met: boolean, detail: string) =>
    add(smoke && !met ? `${target} (not judged: a ${round(facts.durationMs / 60_000)}-minute smoke run)` : target, smoke || met, detail);
  const measured = facts.phases.filter((p) => p.key !== 'warmup');

  const failed = measured.reduce((n, p) => n + p.failed, 0);
  const flood = phase(facts, 'flood');
  const floodBad = Number(flood?.measures.flood_unexpected ?? 0);
  const examples = measured.flatMap((p) => p.failures).slice(0, 3);
  add('no request fails because of telemetry', failed === 0 && floodBad === 0,
    `${failed} steady requests failed outside the killed service; ${floodBad} hostile-header/random-path requests answered unexpectedly${examples.length ? ` (${examples.join('; ')})` : ''}`);

  const baseline = phase(facts, 'baseline');
  for (const p of facts.phases.filter((x) => x.key === 'syslog-down' || x.key === 'otlp-down')) {
    const limit = baseline ? Math.max(baseline.p99Ms * (1 + P99_SLACK.ratio), baseline.p99Ms + P99_SLACK.floorMs) : Number.NaN;
    addTrend(`p99 during "${p.fault}" within 20 % of baseline`, p.p99Ms <= limit, `${p.p99Ms} ms against a limit of ${round(limit)} ms (baseline ${baseline?.p99Ms} ms)`);
  }

  const first = measured[0];
  const last = measured[measured.length - 1];
  for (const service of Object.keys(first?.services ?? {}) as SoakService[]) {
    const start = first?.services[service];
    const end = last?.services[service];
    if (!start || !end) continue;
    if (service === facts.killed) continue; // a new process since the kill: its growth is not the run's
    const growth = (end.rssEndMiB - start.rssStartMiB) / start.rssStartMiB;
    addTrend(`${service}: RSS growth after warm-up ≤ 5 %`, growth <= MAX_RSS_GROWTH, `${start.rssStartMiB} → ${end.rssEndMiB} MiB (${round(growth * 100)} %)`);
  }

  const floodFrontend = flood?.services.frontend;
  const paths = Number(flood?.measures.flood_distinct_paths ?? 0);
  if (floodFrontend) {
    const added = floodFrontend.seriesEnd - floodFrontend.seriesStart;
    add('series flat under the random-path flood', added <= paths * MAX_FLOOD_SERIES_SHARE,
      `frontend /metrics: ${floodFrontend.seriesStart} → ${floodFrontend.seriesEnd} series over ${paths} distinct paths`);
  }

  add('disk bounded', facts.diskBytes <= facts.diskBoundBytes, `${round(facts.diskBytes / 1048576)} MiB in the soak folder; bound ${round(facts.diskBoundBytes / 1048576)} MiB`);
  add('audit lines lost: 0', facts.audit.lost === 0, `${facts.audit.acknowledged} acknowledged, ${facts.audit.written} written${facts.audit.lost ? `; lost e.g. ${facts.audit.examples.join(', ')}` : ''}`);
  add('error reports lost: 0', facts.errors.lost === 0, `${facts.errors.acknowledged} thrown/rejected, ${facts.errors.written} error lines with a fingerprint${facts.errors.lost ? `; lost e.g. ${facts.errors.examples.join(', ')}` : ''}`);

  const live = facts.accounts.filter((a) => !a.killed);
  const syslogGap = live.filter((a) => a.syslog.unaccounted > 0);
  add('every syslog line received or counted as dropped', syslogGap.length === 0,
    live.map((a) => `${a.instance}: ${a.syslog.produced} produced, ${a.syslog.received} received, ${a.syslog.dropped} dropped${a.syslog.unconfirmed ? `, ${a.syslog.unconfirmed} unconfirmed` : ''}`).join('; '));
  const spanGap = live.filter((a) => a.spans.unaccounted > 0);
  add('every span exported or counted as dropped', spanGap.length === 0,
    live.map((a) => `${a.instance}: ${a.spans.produced} produced, ${a.spans.exported} exported, ${a.spans.dropped} dropped`).join('; '));

  const kill = phase(facts, 'kill');
  add(`killed service raises its alert; the others keep answering`,
    kill?.measures.alert_state === 'firing' && kill.measures.others_down === 0 && kill.failed === 0,
    `TargetDown ${kill?.measures.alert_state} after ${kill?.measures.alert_after_s} s; others failed ${kill?.measures.others_down} liveness checks and ${kill?.failed} steady requests`);

  const leaking = Object.entries(facts.finalActive).filter(([, n]) => n > 0);
  add('no request left in flight after the run', leaking.length === 0, leaking.length ? leaking.map(([s, n]) => `${s}: ${n}`).join(', ') : 'http_server_active_requests is 0 on every service');
  return results;
}
