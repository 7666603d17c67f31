/**
 * Three days of clean request history for a fresh Prometheus, written as TSDB blocks with
 * `promtool tsdb create-blocks-from openmetrics` into its data folder before it starts.
 *
 * Why: the SLO alerts compare error ratios over 1h, 6h, 1d and 3d. On a Prometheus that started
 * a minute ago, each of those windows holds one minute, so a fault fills them at once: pages come
 * faster than they would in production, and the long pairs fire on a two-minute fault and stay
 * firing long after it. With the history a service in production has, the windows weigh a fault
 * as they do in production. The history carries only what the SLO rules read (request counts and
 * the latency-threshold bucket per service, all good), under `instance="history"`; the rules sum
 * by job, so it adds to the live series of the same job.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LABEL, METRIC } from '@periscope/instrument/contract';
import { runTool } from '../lib/exec.ts';

/** What to write: requests per second of each job, and the latency thresholds to keep a bucket for. */
export interface HistoryOptions {
  /** Prometheus' data folder (`--storage.tsdb.path`); created when missing. */
  readonly dataDir: string;
  /** Requests per second per job, e.g. `{ frontend: 10, thoughts: 8, users: 3 }`. */
  readonly rates: Readonly<Record<string, number>>;
  /** Bucket boundaries (seconds) to write for each job: every request counts as faster than them. */
  readonly buckets: Readonly<Record<string, readonly number[]>>;
  /** Length of the history in seconds; default three days and an hour (the longest SLO window and then some). */
  readonly seconds?: number;
  /** Seconds between samples; default 30. */
  readonly step?: number;
  /** Where the history ends, in Unix seconds; default now. */
  readonly end?: number;
}

/** The OpenMetrics text of the history: one `unknown` family per sample name, samples in time order. */
export function historyText(options: Omit<HistoryOptions, 'dataDir'>): string {
  const step = options.step ?? 30;
  const seconds = options.seconds ?? 3 * 86_400 + 3_600;
  const end = Math.floor(options.end ?? Date.now() / 1000);
  const start = end - Math.floor(seconds / step) * step;
  const base = `instance="history",${LABEL.method}="GET",${LABEL.route}="/",${LABEL.status}="200"`; // OpenMetrics: no spaces
  const families = new Map<string, string[]>();
  const add = (name: string, labels: string, rate: number) => {
    const lines = families.get(name) ?? [];
    for (let t = start; t <= end; t += step) lines.push(`${name}{${labels}} ${Math.round((t - start) * rate)} ${t}`);
    families.set(name, lines);
  };
  for (const [job, rate] of Object.entries(options.rates)) {
    if (!(rate > 0)) throw new Error(`historyText: rate of ${job} must be a positive number of requests per second, got ${rate}`);
    add(`${METRIC.serverDuration}_count`, `job="${job}",${base}`, rate);
    for (const le of options.buckets[job] ?? []) add(`${METRIC.serverDuration}_bucket`, `job="${job}",${base},le="${le}"`, rate);
  }
  const out: string[] = [];
  for (const [name, lines] of families) {
    out.push(`# TYPE ${name} unknown`);
    for (const line of lines) out.push(line);
  }
  out.push('# EOF', '');
  return out.join('\n');
}

/** Writes the history as blocks into `dataDir`. Throws with promtool's output when it fails. */
export async function writeHistory(options: HistoryOptions): Promise<void> {
  mkdirSync(options.dataDir, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'periscope-history-'));
  try {
    const file = join(dir, 'history.om');
    writeFileSync(file, historyText(options));
    const result = await runTool('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', file, options.dataDir]);
    if (result.code !== 0) throw new Error(`promtool tsdb create-blocks-from openmetrics failed: ${result.stdout}${result.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
