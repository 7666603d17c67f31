/**
 * The soak's schedule: warm-up, a fault-free baseline, the eight faults one after another, and a
 * fault-free recovery. Each fault phase switches its fault on, holds it for the phase, switches
 * it off and leaves notes (what happened) for the report.
 */
import { HEALTH_PATH, METRIC } from '@periscope/instrument/contract';
import { scrape } from './metrics.ts';
import { startFlood, startHangups } from './abuse.ts';
import type { Collector } from './collector.ts';
import type { ServiceSet, SoakService } from './services.ts';
import { DOWN_ALERT, alertState, query } from './stack.ts';
import type { Rsyslog } from './stack.ts';
import { SOAK_APP } from './app/names.ts';

/** What a phase can reach. */
export interface FaultContext {
  services: ServiceSet;
  collector: Collector;
  syslog: Rsyslog;
  prometheusUrl: string;
  /** The phase's planned length (ms). */
  phaseMs: number;
  /** Adds a line to the phase's notes in the report. */
  note(text: string): void;
  /** A measured value of the phase, for the report and the targets. */
  measure(key: string, value: number | string | boolean): void;
  /** Marks `service` as down on purpose (its requests' failures are excused) or up again. */
  excuse(service: SoakService | undefined): void;
  /** Whether every service's RSS has held still over the last minute (see settle.ts). */
  rssSettled(): boolean;
}

/** One phase of the soak. */
export interface Phase {
  /** Short key, e.g. `syslog-down`. */
  key: string;
  /** The fault, as the report's table names it. */
  fault: string;
  /** True for the phases not measured against targets (warm-up). */
  warmup?: boolean;
  /** The outage phases whose p99 must stay within the target of the baseline. */
  outage?: boolean;
  /** Switches the fault on, holds it for `ctx.phaseMs` (longer when it must wait for something), switches it off. */
  run(ctx: FaultContext): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The 10k series of fault 3. */
export const SYNTHETIC_SERIES = 10_000;
/** Distinct random paths of fault 4 (fewer when the phase is too short to send them all). */
export const FLOOD_PATHS = 100_000;
/** The service fault 7 kills. */
export const KILLED_SERVICE: SoakService = 'thoughts';
/** How long fault 7 waits at most for the killed service's alert to fire. */
export const ALERT_WAIT_MS = 180_000;

const hold = (ctx: FaultContext) => sleep(ctx.phaseMs);

/** How much longer than planned the warm-up may wait for RSS to settle: four times its plan, at most 5 minutes. */
export function warmupExtraMs(phaseMs: number): number {
  return Math.min(4 * phaseMs, 5 * 60_000);
}

/**
 * Registers fault 3's series on the soak app, holds them for `ms` (scraped every second
 * meanwhile), runs `before` (given the registration's status) while they are still there, then
 * removes them; returns the status of the registration.
 */
async function withSeries(ctx: FaultContext, ms: number, before: (status: number) => Promise<void> = async () => {}): Promise<number> {
  const url = ctx.services.urls[SOAK_APP];
  const put = await fetch(`${url}/series?n=${SYNTHETIC_SERIES}`, { method: 'PUT' });
  try {
    await sleep(ms);
    await before(put.status);
  } finally {
    await fetch(`${url}/series`, { method: 'DELETE' });
  }
  return put.status;
}

/** The phases, in order. */
export const PHASES: readonly Phase[] = [
  {
    key: 'warmup',
    fault: 'warm-up (no fault, not measured)',
    warmup: true,
    async run(ctx) {
      const started = Date.now();
      // A few unmatched paths and hostile headers now, so the label sets they add once (404 on
      // the fixed "unmatched" route) exist before the series count is taken.
      const flood = startFlood(ctx.services.urls.frontend, '/api/users/u2', 20, 2);
      await sleep(Math.min(2_000, ctx.phaseMs / 4));
      await flood.stop();
      // One short rehearsal of fault 3, so the allocator's high-water mark of a 10k-series
      // exposition is part of the working set the RSS growth is judged against; a leak in the
      // exposition would still grow RSS during fault 3 and after it.
      const status = await withSeries(ctx, Math.min(5_000, ctx.phaseMs / 4));
      ctx.note(`${SYNTHETIC_SERIES} series registered on ${SOAK_APP} for a few scrapes (${status})`);
      await sleep(Math.max(0, ctx.phaseMs - (Date.now() - started)));
      // Then until every service's RSS holds still, so growth judged later is growth.
      const until = Date.now() + warmupExtraMs(ctx.phaseMs);
      while (!ctx.rssSettled() && Date.now() < until) await sleep(5_000);
      const seconds = Math.round((Date.now() - started) / 1000);
      ctx.note(ctx.rssSettled() ? `RSS of every service within 2 % over the last minute after ${seconds} s` : `RSS still moving after ${seconds} s (the longest warm-up)`);
    },
  },
  { key: 'baseline', fault: 'baseline (no fault)', run: hold },
  {
    key: 'syslog-down',
    fault: '1. syslog collector stopped, then restarted',
    outage: true,
    async run(ctx) {
      await ctx.syslog.stop();
      ctx.note('rsyslog stopped');
      await sleep(ctx.phaseMs);
      await ctx.syslog.start();
      ctx.note('rsyslog started again on the same port');
    },
  },
  {
    key: 'otlp-down',
    fault: '2. OTLP endpoint blackholed, then refusing',
    outage: true,
    async run(ctx) {
      await ctx.collector.setMode('blackhole');
      ctx.note('collector: blackhole (accepts, never answers)');
      await sleep(ctx.phaseMs / 2);
      await ctx.collector.setMode('refuse');
      ctx.note('collector: refusing connections');
      await sleep(ctx.phaseMs / 2);
      await ctx.collector.setMode('normal');
      ctx.note('collector: normal');
    },
  },
  {
    key: 'series',
    fault: `3. ${SYNTHETIC_SERIES / 1000}k series, scraped every second`,
    async run(ctx) {
      await withSeries(ctx, ctx.phaseMs, async (status) => {
        ctx.note(`registered ${SYNTHETIC_SERIES} series on ${SOAK_APP} (${status})`);
        const scraped = await query(ctx.prometheusUrl, `scrape_samples_scraped{job="${SOAK_APP}"}`).catch(() => []);
        const samples = scraped[0]?.value ?? 0;
        ctx.measure('samples_scraped', samples);
        ctx.note(`Prometheus scraped ${samples} samples from ${SOAK_APP} in its last scrape`);
      });
    },
  },
  {
    key: 'flood',
    fault: '4. random paths and malformed/huge headers',
    async run(ctx) {
      const frontend = ctx.services.urls.frontend;
      const before = await scrape(frontend);
      const flood = startFlood(frontend, '/api/users/u2', FLOOD_PATHS);
      await sleep(ctx.phaseMs);
      const r = await flood.stop();
      const after = await scrape(frontend);
      ctx.measure('flood_requests', r.requests);
      ctx.measure('flood_distinct_paths', r.distinctPaths);
      ctx.measure('flood_unexpected', r.unexpected);
      ctx.note(`${r.requests} requests, ${r.distinctPaths} distinct random paths, ${r.unexpected} unexpected answers${r.examples.length ? ` (${r.examples.join('; ')})` : ''}`);
      if (before && after) {
        const dropped = after.propagationDropped - before.propagationDropped;
        ctx.measure('flood_trace_context_dropped', dropped);
        ctx.note(`${dropped} invalid trace-context values dropped by frontend, each counted in ${METRIC.propagationDropped}`);
      }
    },
  },
  {
    key: 'hangups',
    fault: '5. clients hang up mid-request and mid-response',
    async run(ctx) {
      const hangups = startHangups(ctx.services.urls.frontend, '/api/login', '/');
      await sleep(ctx.phaseMs);
      const r = await hangups.stop();
      ctx.note(`${r.midRequest} hang-ups mid-request, ${r.midResponse} mid-response`);
      ctx.measure('hangups', r.midRequest + r.midResponse);
    },
  },
  {
    key: 'errors',
    fault: '6. handlers throw and reject (doubled share)',
    async run(ctx) {
      // The steady mix carries 20 % thrown/rejected errors in every phase; this phase adds a
      // burst of them on top, beside the steady load.
      const url = ctx.services.urls[SOAK_APP];
      let sent = 0;
      const until = Date.now() + ctx.phaseMs;
      while (Date.now() < until) {
        await Promise.all(['/throw', '/reject'].map((p) => fetch(`${url}${p}`).then((r) => r.arrayBuffer(), () => undefined)));
        sent += 2;
        await sleep(100);
      }
      ctx.note(`${sent} extra throwing/rejecting requests beside the steady share`);
    },
  },
  {
    key: 'kill',
    fault: `7. ${KILLED_SERVICE} killed (SIGKILL), then restarted`,
    async run(ctx) {
      const started = Date.now();
      ctx.excuse(KILLED_SERVICE);
      await ctx.services.kill(KILLED_SERVICE);
      ctx.note(`${KILLED_SERVICE} killed with SIGKILL`);
      let state: string | undefined;
      let othersDown = 0;
      let checks = 0;
      while (Date.now() - started < Math.max(ctx.phaseMs, ALERT_WAIT_MS)) {
        state = await alertState(ctx.prometheusUrl, DOWN_ALERT, KILLED_SERVICE).catch(() => undefined);
        for (const [service, url] of Object.entries(ctx.services.urls)) {
          if (service === KILLED_SERVICE) continue;
          checks++;
          const up = await fetch(`${url}${HEALTH_PATH.liveness}`, { signal: AbortSignal.timeout(2_000) }).then((r) => r.ok, () => false);
          if (!up) othersDown++;
        }
        if (state === 'firing' && Date.now() - started >= ctx.phaseMs) break;
        await sleep(1_000);
      }
      const firedAfter = (Date.now() - started) / 1000;
      ctx.measure('alert_state', state ?? 'inactive');
      ctx.measure('alert_after_s', Math.round(firedAfter));
      ctx.measure('others_down', othersDown);
      ctx.note(`${DOWN_ALERT}{job="${KILLED_SERVICE}"}: ${state ?? 'inactive'} at ${Math.round(firedAfter)} s; other services failed ${othersDown} of ${checks} liveness checks`);
      await ctx.services.restart(KILLED_SERVICE);
      ctx.note(`${KILLED_SERVICE} restarted`);
      await sleep(2_000);
      ctx.excuse(undefined);
    },
  },
  {
    key: 'slow-stdout',
    fault: '8. stdout read slowly (pipe paused 900 ms of every second)',
    async run(ctx) {
      ctx.services.setSlow({ pauseMs: 900, readMs: 100 });
      await sleep(ctx.phaseMs);
      ctx.services.setSlow(undefined);
    },
  },
  { key: 'recovery', fault: 'recovery (no fault)', run: hold },
];

/** Planned length (ms) of each phase for a run of `totalMs`: a tenth each for warm-up, baseline and recovery (at least 15 s), the rest shared by the faults (at least 10 s each). */
export function planPhases(totalMs: number): number[] {
  const quiet = Math.max(15_000, totalMs / 10);
  const faults = PHASES.filter((p) => !['warmup', 'baseline', 'recovery'].includes(p.key)).length;
  const each = Math.max(10_000, (totalMs - 3 * quiet) / faults);
  return PHASES.map((p) => (['warmup', 'baseline', 'recovery'].includes(p.key) ? quiet : each));
}
