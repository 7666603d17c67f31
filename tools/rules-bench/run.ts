/**
 * One size of the benchmark: N synthetic services with three days of history, scraped live by a
 * real Prometheus that loads the shipped alerts/*.rules.yml unchanged (plus the objectives a tenth
 * of the services declare), left to evaluate for a few minutes, then read back and stopped.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startLoopbackServer } from '../testing/process.ts';
import type { LoopbackServer } from '../testing/process.ts';
import { waitFor } from '../testing/wait.ts';
import { backfill } from './history.ts';
import type { HistoryResult } from './history.ts';
import { EvaluationLog, cpuPerQuery, idleCpu, quantile, ruleGroups, samplesRead, scalar, selfMetrics, sumOf } from './measure.ts';
import { makeServices } from './services.ts';
import type { SyntheticService } from './services.ts';
import { baselineFile, perServiceRules, shippedRulesWithoutSlo } from './baseline.ts';
import { INTERVAL_SECONDS, REPO_ROOT, declaredObjectiveRules, declaringServices, prometheusConfig, startExporter } from './setup.ts';

export interface RunOptions {
  readonly services: number;
  /** Minutes of evaluation measured, after the warm-up. */
  readonly minutes: number;
  /** Seconds between history samples. */
  readonly step: number;
  /** The shipped generic SLO rules, or the old generator's rules repeated per service (the baseline). */
  readonly rules: RuleSet;
  readonly log: (line: string) => void;
}

export type RuleSet = 'generic' | 'per-service';
export const RULE_SETS: readonly RuleSet[] = ['generic', 'per-service'];

export interface GroupResult {
  readonly name: string;
  readonly slo: boolean;
  readonly rules: number;
  readonly evaluations: number;
  readonly p50: number;
  readonly max: number;
  /** Samples the group's last evaluation wrote (prometheus_rule_group_last_evaluation_samples). */
  readonly samplesWritten: number;
  readonly missed: number;
  /** Median seconds per rule, for the SLO groups: which windows cost what. */
  readonly perRule?: Record<string, number>;
}

export interface SizeResult {
  readonly ruleSet: RuleSet;
  readonly services: number;
  readonly declaring: number;
  readonly rules: { readonly all: number; readonly slo: number; readonly declared: number };
  readonly headSeries: number;
  readonly sloSeries: number;
  readonly jobsWithSlo: number;
  readonly rssBytes: { readonly end: number; readonly max: number };
  readonly history: HistoryResult & { readonly step: number };
  readonly groups: readonly GroupResult[];
  /** Samples each SLO recording rule's expression reads in one evaluation (instant query, stats=all). */
  readonly samplesRead: Record<string, number>;
  /** CPU seconds (and wall seconds) of one evaluation of each SLO recording rule, alone. */
  readonly isolated: Record<string, { cpu: number; wall: number }>;
  readonly firing: Record<string, number>;
  readonly failures: number;
  /** Prometheus' CPU seconds per second while measured, and the machine's 1-minute load average then. */
  readonly cpuPerSecond: number;
  readonly load: readonly [number, number];
  readonly wallSeconds: number;
}

const HISTORY_SECONDS = 3 * 86_400 + 3_600; // the longest window, 3d, and an hour more
const SLO_FILES = ['/alerts/slo.rules.yml', '/per-service.rules.yml'];
/** A group of the SLO burn-rate rules (not the declared objectives). */
export const isSloGroup = (g: { file: string }) => SLO_FILES.some((f) => g.file.endsWith(f));
/** The groups read rule by rule: the generic ones, or the first service's in the baseline. */
const detailed = (g: { file: string; name: string }) => isSloGroup(g) && !/^periscope\.slo\.svc-(?!000\.)/.test(g.name);

const running = new Set<{ stop(): Promise<void> }>();

/** Stops whatever a run started and has not stopped yet (for SIGINT). */
export async function stopEverything(): Promise<void> {
  await Promise.all([...running].map((r) => r.stop().catch(() => undefined)));
  running.clear();
}

function track<T extends { stop(): Promise<void> }>(thing: T): T {
  running.add(thing);
  return thing;
}

function closer(server: Server): { stop(): Promise<void> } {
  return { stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function startBenchPrometheus(configFile: string, dataDir: string): Promise<LoopbackServer> {
  return startLoopbackServer('prometheus', (port) => [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${dataDir}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
    '--web.enable-lifecycle',
  ]);
}

async function groupResults(base: string, log: EvaluationLog): Promise<GroupResult[]> {
  const metrics = await selfMetrics(base);
  const out: GroupResult[] = [];
  for (const [name, { file, rules, evaluations }] of log.byGroup) {
    const times = evaluations.map((e) => e.seconds);
    const label = `rule_group="`;
    const mine = (metric: string) => {
      for (const [key, value] of metrics) if (key.startsWith(`${metric}{`) && key.includes(label) && key.includes(`;${name}"`)) return value;
      return Number.NaN;
    };
    const perRule = detailed({ file, name })
      ? Object.fromEntries(rules.map((r, i) => [r, quantile(evaluations.map((e) => e.rules[i]!), 0.5)]))
      : undefined;
    out.push({
      name, slo: isSloGroup({ file }), rules: rules.length, evaluations: evaluations.length, p50: quantile(times, 0.5), max: Math.max(...times),
      samplesWritten: mine('prometheus_rule_group_last_evaluation_samples'), missed: mine('prometheus_rule_group_iterations_missed_total'),
      ...(perRule ? { perRule } : {}),
    });
  }
  return out;
}

/** The SLO recording rules read one by one, by name (the objectives by name and SLI). */
function sloRecordingRules(groups: Awaited<ReturnType<typeof ruleGroups>>): [string, string][] {
  return groups.filter(detailed).flatMap((g) =>
    g.rules
      .filter((r) => r.type === 'recording')
      .map((r): [string, string] => [`${r.name}${r.name.includes('objective') ? `{${r.query.includes('latency') ? 'latency' : 'availability'}}` : ''}`, r.query]),
  );
}

/**
 * Reloads Prometheus without rule files, then times each SLO recording rule's expression alone.
 * Unloading marks the rules' series stale, so the queries are evaluated at a moment just before
 * it, when the objectives the latency ratios join with were still fresh.
 */
async function isolatedCost(base: string, configFile: string, log: (line: string) => void): Promise<Record<string, { cpu: number; wall: number }>> {
  const rules = sloRecordingRules(await ruleGroups(base));
  const at = Date.now() / 1000 - 1;
  writeFileSync(configFile, readFileSync(configFile, 'utf8').replace(/rule_files:\n(  - .*\n)+/, 'rule_files: []\n'));
  const res = await fetch(`${base}/-/reload`, { method: 'POST' });
  if (!res.ok) throw new Error(`POST /-/reload: ${res.status} ${await res.text()}`);
  await waitFor('the rules unloaded', async () => (await ruleGroups(base)).length === 0, 30_000, 500);
  const idle = await idleCpu(base);
  log(`  timing ${rules.length} SLO expressions alone (Prometheus idle at ${idle.toFixed(3)} CPU s/s)`);
  const out: Record<string, { cpu: number; wall: number }> = {};
  for (const [key, query] of rules) out[key] = await cpuPerQuery(base, query, at, idle);
  return out;
}

async function readBack(base: string, log: EvaluationLog): Promise<Omit<SizeResult, 'ruleSet' | 'services' | 'declaring' | 'history' | 'wallSeconds' | 'cpuPerSecond' | 'load' | 'isolated'>> {
  const groups = await ruleGroups(base);
  const count = (pred: (file: string, name: string) => boolean) =>
    groups.filter((g) => pred(g.file, g.name)).reduce((n, g) => n + g.rules.length, 0);
  const metrics = await selfMetrics(base);
  const reads: Record<string, number> = {};
  for (const [key, query] of sloRecordingRules(groups)) reads[key] = await samplesRead(base, query);
  const firing = await fetch(`${base}/api/v1/query?query=${encodeURIComponent('count by (alertname) (ALERTS{alertstate="firing"})')}`)
    .then((r) => r.json() as Promise<{ data: { result: { metric: { alertname: string }; value: [number, string] }[] } }>);
  return {
    rules: {
      all: count(() => true),
      slo: count((file) => isSloGroup({ file })),
      declared: count((file) => file.endsWith('declared.rules.yml')),
    },
    headSeries: sumOf(metrics, 'prometheus_tsdb_head_series'),
    sloSeries: await scalar(base, 'count({__name__=~"job:slo_.+"})'),
    jobsWithSlo: await scalar(base, 'count(job:slo_latency_errors:ratio_rate3d)'),
    rssBytes: { end: sumOf(metrics, 'process_resident_memory_bytes'), max: Math.max(log.maxRss, sumOf(metrics, 'process_resident_memory_bytes')) },
    groups: await groupResults(base, log),
    samplesRead: reads,
    firing: Object.fromEntries(firing.data.result.map((r) => [r.metric.alertname, Number(r.value[1])])),
    failures: sumOf(metrics, 'prometheus_rule_evaluation_failures_total'),
  };
}

/** The generic rules with the declared objectives, or the baseline's per-service rules. */
async function ruleFiles(set: RuleSet, services: readonly SyntheticService[], work: string): Promise<string[]> {
  if (set === 'generic') return [join(REPO_ROOT, 'alerts/*.rules.yml'), await declaredObjectiveRules(services, work)];
  const file = join(work, 'per-service.rules.yml');
  writeFileSync(file, perServiceRules(baselineFile(REPO_ROOT), services));
  return [...shippedRulesWithoutSlo(REPO_ROOT), file];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs one size and stops everything it started, whatever happens. */
export async function runSize(options: RunOptions): Promise<SizeResult> {
  const started = Date.now();
  const { log } = options;
  const services = makeServices(options.services);
  const work = mkdtempSync(join(tmpdir(), 'periscope-rules-bench-'));
  const cleanup = track({ stop: async () => rmSync(work, { recursive: true, force: true }) });
  try {
    const port = await freePort();
    const instance = `127.0.0.1:${port}`;
    const end = Math.floor(Date.now() / 1000) - INTERVAL_SECONDS;
    const t0 = end - Math.ceil(HISTORY_SECONDS / options.step) * options.step;
    log(`${options.services} services: writing ${HISTORY_SECONDS / 3600} h of history every ${options.step}s …`);
    const history = await backfill({ services, instance, t0, end, step: options.step }, join(work, 'data'), work);
    log(`  ${history.samples.toLocaleString('en')} samples (${(history.bytes / 1e9).toFixed(2)} GB of text) in ${history.seconds.toFixed(0)} s`);
    const configFile = join(work, 'prometheus.yml');
    writeFileSync(configFile, prometheusConfig(services, instance, await ruleFiles(options.rules, services, work)));
    const exporter = track(closer(await startExporter(services, port, t0)));
    const prometheus = track(await startBenchPrometheus(configFile, join(work, 'data')));
    try {
      await waitFor('every target up', async () => (await scalar(prometheus.url, 'count(up == 1)')) === services.length, 120_000, 1_000);
      log(`  Prometheus ${prometheus.url}: ${services.length} targets up; warming up for ${2 * INTERVAL_SECONDS} s`);
      await sleep(2 * INTERVAL_SECONDS * 1000);
      const evals = new EvaluationLog();
      const measuredFrom = Date.now();
      const loadBefore = loadavg()[0]!;
      const until = Date.now() + options.minutes * 60_000;
      while (Date.now() < until) {
        await evals.poll(prometheus.url);
        await sleep(5_000);
      }
      await evals.poll(prometheus.url);
      const cpuPerSecond = (evals.cpu[1] - evals.cpu[0]) / ((Date.now() - measuredFrom) / 1000);
      const load = [loadBefore, loadavg()[0]!] as const;
      log('  reading back');
      const result = await readBack(prometheus.url, evals);
      const isolated = await isolatedCost(prometheus.url, configFile, log);
      return {
        ruleSet: options.rules, services: services.length, declaring: options.rules === 'generic' ? declaringServices(services).length : 0, history: { ...history, step: options.step },
        ...result, isolated, cpuPerSecond, load, wallSeconds: (Date.now() - started) / 1000,
      };
    } finally {
      await prometheus.stop();
      running.delete(prometheus);
      await exporter.stop();
      running.delete(exporter);
    }
  } finally {
    await cleanup.stop();
    running.delete(cleanup);
  }
}
