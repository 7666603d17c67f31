/**
 * One soak run: starts rsyslog, the OTLP stand-in, the services and Prometheus; drives the steady
 * load through every phase of the schedule while sampling each service's `/metrics`; then lets
 * the outputs drain, settles the ledgers, checks the targets and stops everything it started.
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { accounts, allAccounted, ledger } from './accounting.ts';
import type { InstanceAccount } from './accounting.ts';
import type { SoakArgs } from './args.ts';
import { startCollector } from './collector.ts';
import { startLoad, keepToken } from './load.ts';
import { createTally } from './log-reader.ts';
import { scrape } from './metrics.ts';
import type { Snapshot } from './metrics.ts';
import { newPhase, recordOutcome, recordSnapshot, summarise } from './recorder.ts';
import type { PhaseRecord } from './recorder.ts';
import type { SoakReport } from './report.ts';
import { KILLED_SERVICE, PHASES, planPhases } from './schedule.ts';
import type { FaultContext } from './schedule.ts';
import { LOG_FILE_CAP, SOAK_SERVICES, startServices } from './services.ts';
import type { ServiceSet, SoakService } from './services.ts';
import { receivedByPid, startRsyslog, startScraper } from './stack.ts';
import { RssHistory } from './settle.ts';
import { round } from './stats.ts';
import { checkTargets } from './targets.ts';

/** How often each service's `/metrics` is sampled. */
const SAMPLE_EVERY_MS = 5_000;
/** Longest wait at the end for syslog queues and span batches to drain. */
const DRAIN_MS = 90_000;
/** Room for the report files on top of the services' capped log files. */
const REPORT_ROOM_BYTES = 2 * 1024 * 1024;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Bytes under `dir` (0 when it does not exist). */
export function folderBytes(dir: string): number {
  let total = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    total += e.isDirectory() ? folderBytes(p) : statSync(p).size;
  }
  return total;
}

/** Latest snapshot of every live instance, keyed by instance ID. */
async function sampleAll(services: ServiceSet, into: Map<string, Snapshot>, down: SoakService | undefined): Promise<Map<SoakService, Snapshot>> {
  const taken = new Map<SoakService, Snapshot>();
  await Promise.all(SOAK_SERVICES.filter((s) => s !== down).map(async (service) => {
    const snap = await scrape(services.urls[service]);
    if (!snap) return;
    try {
      into.set(services.current(service).id, snap);
      taken.set(service, snap);
    } catch {
      // Killed between the scrape and now.
    }
  }));
  return taken;
}

/** What the run in progress must stop (last started first). */
const stops: Array<() => Promise<void>> = [];

/** Stops whatever the run in progress started (for a signal that ends the soak early). */
export async function stopEverything(): Promise<void> {
  while (stops.length > 0) await stops.pop()!().catch(() => {});
}

/** Runs the soak; `say` receives progress lines. */
export async function runSoak(args: SoakArgs, say: (line: string) => void): Promise<SoakReport> {
  const wallStart = Date.now();
  const logDir = path.join(args.outDir, 'logs');
  rmSync(logDir, { recursive: true, force: true });
  const tally = createTally();
  const stderr: string[] = [];
  try {
    const syslog = await startRsyslog();
    stops.push(() => syslog.dispose());
    const collector = await startCollector();
    stops.push(() => collector.close());
    const services = await startServices({ syslogUrl: `tcp://127.0.0.1:${syslog.port}`, otlpUrl: collector.url, logDir }, tally, (service, line) => {
      if (stderr.length < 20) stderr.push(`[${service}] ${line}`);
      say(`  [${service} stderr] ${line}`);
    });
    stops.push(() => services.stop());
    const prometheus = await startScraper(Object.fromEntries(SOAK_SERVICES.map((s) => [s, new URL(services.urls[s]).host])));
    stops.push(() => prometheus.stop());
    say(`soak: services up (${SOAK_SERVICES.join(', ')}), rsyslog on ${syslog.port}, OTLP stand-in at ${collector.url}, Prometheus at ${prometheus.url}`);

    const token = await keepToken(services.urls.frontend);
    stops.push(async () => token.stop());
    const plan = planPhases(args.durationMs);
    let down: SoakService | undefined;
    let current: PhaseRecord = newPhase('startup', 'start-up', true, false);
    const latest = new Map<string, Snapshot>();
    const load = startLoad({ urls: services.urls, rate: args.rate, record: (o) => recordOutcome(current, o, down) }, token.current);
    const rss = new RssHistory();
    const sample = async () => {
      for (const [service, snap] of await sampleAll(services, latest, down)) {
        recordSnapshot(current, service, snap);
        rss.add(service, { at: snap.at, rssBytes: snap.rssBytes });
      }
    };
    const sampler = setInterval(() => void sample(), SAMPLE_EVERY_MS);
    const records: PhaseRecord[] = [];
    try {
      for (const [i, phase] of PHASES.entries()) {
        current = newPhase(phase.key, phase.fault, phase.warmup ?? false, phase.outage ?? false);
        say(`soak: phase ${i + 1}/${PHASES.length} ${phase.fault} (${round(plan[i]! / 1000)} s)`);
        await sample();
        const ctx: FaultContext = {
          services, collector, syslog, prometheusUrl: prometheus.url, phaseMs: plan[i]!,
          note: (text) => current.notes.push(text),
          measure: (key, value) => (current.measures[key] = value),
          excuse: (service) => (down = service),
          rssSettled: () => rss.allSettled(),
        };
        await phase.run(ctx);
        await sample();
        current.endedAt = Date.now();
        records.push(current);
      }
    } finally {
      clearInterval(sampler);
      await load.stop();
    }

    say('soak: load stopped; waiting for syslog queues and span batches to drain');
    let list: InstanceAccount[] = [];
    let finals = new Map<SoakService, Snapshot>();
    const drainUntil = Date.now() + DRAIN_MS;
    for (;;) {
      finals = await sampleAll(services, latest, undefined);
      list = accounts(services.instances, tally, await receivedByPid(syslog), collector.spans(), latest);
      const idle = [...finals.values()].every((snap) => snap.activeRequests === 0);
      if ((idle && allAccounted(list)) || Date.now() > drainUntil) break;
      await sleep(2_000);
    }

    const phases = records.map(summarise);
    const measured = phases.filter((p) => p.key !== 'warmup');
    const hours = (records[records.length - 1]!.endedAt - records[1]!.startedAt) / 3_600_000;
    const rssGrowthPerHourMiB: Record<string, number> = {};
    for (const service of SOAK_SERVICES) {
      const start = measured[0]?.services[service];
      const end = measured[measured.length - 1]?.services[service];
      if (start && end) rssGrowthPerHourMiB[service] = round((end.rssEndMiB - start.rssStartMiB) / hours);
    }
    const audit = ledger(load.auditAcked, tally.auditIds);
    const errors = ledger(load.errorsThrown, tally.errorIds);
    const disk = { bytes: folderBytes(args.outDir), boundBytes: SOAK_SERVICES.length * LOG_FILE_CAP.maxBytes * (LOG_FILE_CAP.maxFiles + 1) + REPORT_ROOM_BYTES };
    const finalActive = Object.fromEntries([...finals].map(([s, snap]) => [s, snap.activeRequests]));
    const targets = checkTargets({ phases, audit, errors, accounts: list, killed: KILLED_SERVICE, diskBytes: disk.bytes, diskBoundBytes: disk.boundBytes, finalActive, durationMs: args.durationMs });
    return {
      startedAt: new Date(wallStart).toISOString(),
      plannedSeconds: args.durationMs / 1000,
      wallSeconds: 0,
      rate: args.rate,
      node: process.version,
      phases,
      audit,
      errors,
      accounts: list,
      rssGrowthPerHourMiB,
      disk,
      stderr,
      unparsedLines: tally.unparsed,
      targets,
      passed: targets.every((t) => t.met),
    };
  } finally {
    while (stops.length > 0) await stops.pop()!().catch((err: unknown) => say(`soak: stopping: ${(err as Error).message}`));
  }
}
