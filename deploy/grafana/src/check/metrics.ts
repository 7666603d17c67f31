/**
 * Where a metric a dashboard queries may come from: the package's contract (METRIC, with a
 * histogram's `_bucket`/`_count`/`_sum`), a recording rule in alerts/*.rules.yml, prom-client's
 * default metrics, the node exporter (`node_*`) or Prometheus itself.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { METRIC } from '@periscope/instrument/contract';

/** Folder of the alert and recording rule files. */
export const ALERTS_DIR = fileURLToPath(new URL('../../../../alerts/', import.meta.url));

/** Series Prometheus writes itself (besides `prometheus_*` and `scrape_*`). */
export const PROMETHEUS_SERIES: readonly string[] = Object.freeze(['up', 'ALERTS', 'ALERTS_FOR_STATE']);

const HISTOGRAM_SUFFIXES = ['_bucket', '_count', '_sum'];

/** Names of every recording rule in `dir`/*.rules.yml. */
export function recordingRules(dir: string = ALERTS_DIR): Set<string> {
  const names = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.rules.yml')).sort()) {
    const doc = parse(readFileSync(join(dir, file), 'utf8')) as { groups?: { rules?: { record?: string }[] }[] } | null;
    for (const group of doc?.groups ?? []) for (const rule of group.rules ?? []) if (rule.record) names.add(rule.record);
  }
  return names;
}

/** Series names a metric exposes: a histogram's or summary's parts, or the name itself. */
function seriesOf(name: string, type: string): string[] {
  if (type === 'histogram') return HISTOGRAM_SUFFIXES.map((s) => `${name}${s}`);
  if (type === 'summary') return [name, `${name}_count`, `${name}_sum`];
  return [name];
}

/**
 * Series of prom-client's default metrics, read from a registry that collects them, without the
 * gauges named like counters (`*_total`) that the package removes.
 */
export async function promClientDefaults(): Promise<Set<string>> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics = (await registry.getMetricsAsJSON()).filter((m) => !(String(m.type) === 'gauge' && m.name.endsWith('_total')));
  return new Set(metrics.flatMap((m) => seriesOf(m.name, String(m.type))));
}

/** Series of the package's contract metrics (histograms expanded into their parts). */
export function contractSeries(): Set<string> {
  const histograms = new Set<string>([METRIC.serverDuration, METRIC.clientDuration]);
  return new Set(Object.values(METRIC).flatMap((name) => seriesOf(name, histograms.has(name) ? 'histogram' : 'gauge')));
}

export interface MetricSources {
  readonly contract: Set<string>;
  readonly rules: Set<string>;
  readonly promClient: Set<string>;
}

/** Loads every source once. */
export async function loadMetricSources(): Promise<MetricSources> {
  return { contract: contractSeries(), rules: recordingRules(), promClient: await promClientDefaults() };
}

/** Where `name` comes from, or undefined when no known source exports it. */
export function metricSource(name: string, sources: MetricSources): string | undefined {
  if (sources.contract.has(name)) return 'package';
  if (sources.rules.has(name)) return 'recording rule';
  if (sources.promClient.has(name)) return 'prom-client default';
  if (name.startsWith('node_')) return 'node exporter';
  if (PROMETHEUS_SERIES.includes(name) || name.startsWith('prometheus_') || name.startsWith('scrape_')) return 'prometheus';
  return undefined;
}
