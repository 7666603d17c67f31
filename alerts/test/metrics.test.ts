import { describe, expect, it } from 'vitest';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { METRIC, LABEL } from '@periscope/instrument/contract';
import { SLO_SERIES } from '@periscope/stack';
import { metricNames } from '../lib/promql.ts';
import { loadRules } from '../lib/rules.ts';

const rules = loadRules();
const HISTOGRAMS = [METRIC.serverDuration, METRIC.clientDuration];

/** Every series name prom-client's default metrics expose (histograms with their suffixes). */
async function promClientDefaults(): Promise<Set<string>> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics = await registry.getMetricsAsJSON();
  registry.clear();
  return new Set(metrics.flatMap((m) => (String(m.type) === 'histogram' ? ['_bucket', '_sum', '_count'].map((s) => m.name + s) : [m.name])));
}

/** Why a metric name is allowed in a rule, or undefined when it is not. */
function source(name: string, defaults: Set<string>, recorded: Set<string>): string | undefined {
  const contract = new Set<string>([...Object.values(METRIC), ...HISTOGRAMS.flatMap((h) => ['_bucket', '_sum', '_count'].map((s) => h + s))]);
  if (contract.has(name)) return 'the package (METRIC)';
  if (defaults.has(name)) return 'prom-client default metrics';
  if (name.startsWith('node_')) return 'the node exporter';
  if (name === 'up') return 'Prometheus';
  if (recorded.has(name)) return 'a recording rule';
  if (name === SLO_SERIES.declaredObjective) return 'the objectives `periscope slo rules` writes from a team\'s OpenSLO file';
  return undefined;
}

describe('metric names in the rules', () => {
  it('are exported by the package, prom-client, the node exporter, Prometheus or a recording rule', async () => {
    const defaults = await promClientDefaults();
    const recorded = new Set(rules.flatMap((rule) => (rule.record ? [rule.record] : [])));
    const unknown = rules.flatMap((rule) =>
      metricNames(rule.expr)
        .filter((name) => !source(name, defaults, recorded))
        .map((name) => `${rule.file} ${rule.record ?? rule.alert}: ${name}`),
    );
    expect(unknown).toEqual([]);
    expect(source('nodejs_heap_size_limit_bytes', defaults, recorded)).toBeUndefined();
    expect(source('job:slo_objective_declared:ratios', defaults, recorded)).toBeUndefined();
  });

  it('use only the contract label names on the contract metrics', () => {
    const text = rules.map((rule) => rule.expr).join('\n');
    for (const label of [LABEL.status, LABEL.route, LABEL.resource]) expect(text).toContain(label);
    expect(text).not.toMatch(/\b(status_code|route|code|method)\b\s*[=!]~?/);
  });

  it('record every rate, error ratio and quantile a dashboard needs, per job and per route', () => {
    const recorded = rules.flatMap((rule) => (rule.record ? [rule.record] : []));
    for (const level of ['job', 'job_route']) {
      expect(recorded).toContain(`${level}:http_server_requests:rate5m`);
      expect(recorded).toContain(`${level}:http_server_request_errors:ratio_rate5m`);
      for (const q of ['p50', 'p90', 'p99']) expect(recorded).toContain(`${level}:${METRIC.serverDuration}:${q}_rate5m`);
    }
  });
});
