/**
 * The services' past, backfilled into a fresh Prometheus' data folder before it starts, as
 * alerts/e2e/history.ts does (OpenMetrics text → `promtool tsdb create-blocks-from openmetrics`),
 * but with every series a scrape would bring (each bucket, `_sum` and `_count`, with the target's
 * labels), so the long windows of the rules read what a Prometheus that has run for days reads.
 */
import { createWriteStream, mkdirSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { runTool } from '../../alerts/lib/exec.ts';
import { historyChunks, historyTimes } from './exposition.ts';
import type { SyntheticService } from './services.ts';

export interface HistoryPlan {
  readonly services: readonly SyntheticService[];
  /** `host:port` the exporter will serve on: the `instance` of every series. */
  readonly instance: string;
  /** Start of the counters (Unix seconds). */
  readonly t0: number;
  /** Last timestamp of the history (Unix seconds). */
  readonly end: number;
  /** Seconds between history samples. */
  readonly step: number;
}

export interface HistoryResult {
  readonly samples: number;
  readonly bytes: number;
  readonly seconds: number;
}

/** Writes the history text to `file`, chunk by chunk, waiting when the disk is behind. */
async function writeText(plan: HistoryPlan, file: string): Promise<void> {
  const out = createWriteStream(file);
  const times = historyTimes(plan.t0, plan.end, plan.step);
  for (const chunk of historyChunks(plan.services, plan.instance, times, plan.t0)) {
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/**
 * Writes the history as TSDB blocks into `dataDir` (blocks of up to 162 h, so promtool reads the
 * text a few times instead of once per 2 h). Throws with promtool's output when it fails.
 */
export async function backfill(plan: HistoryPlan, dataDir: string, workDir: string): Promise<HistoryResult> {
  const started = Date.now();
  mkdirSync(dataDir, { recursive: true });
  const file = join(workDir, 'history.om');
  try {
    await writeText(plan, file);
    const bytes = statSync(file).size;
    const result = await runTool(
      'promtool',
      ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', '--max-block-duration=200h', file, dataDir],
      { timeoutMs: 15 * 60_000 },
    );
    if (result.code !== 0) throw new Error(`promtool tsdb create-blocks-from openmetrics failed: ${result.stdout}${result.stderr}`);
    const series = plan.services.reduce((n, s) => n + (s.server.length + s.client.length) * 17, 0);
    const samples = series * historyTimes(plan.t0, plan.end, plan.step).length;
    return { samples, bytes, seconds: (Date.now() - started) / 1000 };
  } finally {
    rmSync(file, { force: true });
  }
}
