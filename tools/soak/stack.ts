/**
 * The real servers around the services under soak: rsyslog (the syslog collector, stopped and
 * started by a fault), Prometheus (scraping every service every second and evaluating the repo's
 * RED alert rules, so a killed service raises `TargetDown`), and how the soak reads both.
 */
import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { stringify } from 'yaml';
import { REPO_ROOT, derivePrometheusConfig } from '@periscope-demo/launcher';
import { startPrometheus } from '../testing/prometheus.ts';
import type { LoopbackServer } from '../testing/process.ts';
import { startRsyslog } from '../testing/rsyslog.ts';
import type { Rsyslog } from '../testing/rsyslog.ts';

export type { Rsyslog };
export { startRsyslog };

/** The alert rules Prometheus evaluates (TargetDown among them). */
export const RULE_FILES = [path.join(REPO_ROOT, 'alerts/red.rules.yml')];

/** The alert a killed service must raise. */
export const DOWN_ALERT = 'TargetDown';

/** Starts Prometheus scraping `targets` (job → host:port) every second, with {@link RULE_FILES}. */
export async function startScraper(targets: Readonly<Record<string, string>>): Promise<LoopbackServer> {
  const { config } = derivePrometheusConfig({
    sourceDir: REPO_ROOT,
    targets,
    ruleFiles: RULE_FILES,
    global: { scrape_interval: '1s', evaluation_interval: '1s' },
  });
  return startPrometheus({ config: stringify(config) });
}

/** Runs an instant query; the vector's samples as `{ labels, value }`. */
export async function query(prometheusUrl: string, expr: string): Promise<Array<{ labels: Record<string, string>; value: number }>> {
  const res = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(expr)}`, { signal: AbortSignal.timeout(5_000) });
  const body = (await res.json()) as { data?: { result?: Array<{ metric: Record<string, string>; value: [number, string] }> } };
  return (body.data?.result ?? []).map((r) => ({ labels: r.metric, value: Number(r.value[1]) }));
}

/** The state (`pending`, `firing`) of `alertname` for `job`, or `undefined` when inactive. */
export async function alertState(prometheusUrl: string, alertname: string, job: string): Promise<string | undefined> {
  const res = await fetch(`${prometheusUrl}/api/v1/alerts`, { signal: AbortSignal.timeout(5_000) });
  const body = (await res.json()) as { data?: { alerts?: Array<{ labels: Record<string, string>; state: string }> } };
  return body.data?.alerts?.find((a) => a.labels.alertname === alertname && a.labels.job === job)?.state;
}

/**
 * Messages rsyslog received per process ID (the RFC 5424 PROCID), counted from its parsed-fields
 * file as a stream (the file grows large on a long run). Fields are separated by U+0001; PROCID
 * is the fifth.
 */
export async function receivedByPid(syslog: Rsyslog): Promise<Map<number, number>> {
  const counts = new Map<number, number>();
  const file = path.join(syslog.dir, 'parsed.log');
  if (!existsSync(file)) return counts;
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    const pid = Number(line.split('\u0001')[4]);
    if (Number.isInteger(pid)) counts.set(pid, (counts.get(pid) ?? 0) + 1);
  }
  return counts;
}
