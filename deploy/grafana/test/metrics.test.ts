import { describe, expect, it } from 'vitest';
import { METRIC } from '@periscope/instrument/contract';
import { extractQueries } from '../src/check/extract.ts';
import { loadMetricSources, metricSource, recordingRules } from '../src/check/metrics.ts';
import { metricNames } from '../src/check/syntax.ts';
import { dashboards } from './helpers.ts';

const sources = await loadMetricSources();
const used = dashboards.flatMap((d) =>
  extractQueries(d)
    .filter((q) => q.language === 'promql')
    .flatMap((q) => metricNames(q.expr).map((metric) => ({ where: `${q.dashboard} / ${q.name}`, metric }))),
);

describe('the metrics the dashboards query', () => {
  it('are each exported by the package, a recording rule in alerts/, prom-client, the node exporter or Prometheus', () => {
    const unknown = used.filter(({ metric }) => metricSource(metric, sources) === undefined).map(({ where, metric }) => `${where}: ${metric}`);
    expect(unknown).toEqual([]);
  });

  it('include every RED and USE metric of the package contract', () => {
    const names = new Set(used.map((u) => u.metric));
    for (const metric of [METRIC.serverActive, METRIC.eventLoopUtilization, METRIC.resourceInUse, METRIC.resourceCapacity, METRIC.resourceWaiting, METRIC.resourceErrors, METRIC.buildInfo]) {
      expect(names, metric).toContain(metric);
    }
    for (const histogram of [METRIC.serverDuration, METRIC.clientDuration]) {
      expect(names, histogram).toContain(`${histogram}_bucket`);
      expect(names, histogram).toContain(`${histogram}_count`);
    }
  });

  it('read the SLO recording rules that the burn-rate alerts use', () => {
    const rules = recordingRules();
    const fromRules = [...new Set(used.filter((u) => metricSource(u.metric, sources) === 'recording rule').map((u) => u.metric))];
    expect(fromRules.length).toBeGreaterThan(0);
    for (const rule of fromRules) expect(rules).toContain(rule);
  });

  it('reject a name no source exports', () => {
    expect(metricSource('http_requests_total', sources)).toBeUndefined();
    expect(metricSource('nodejs_active_handles_total', sources)).toBeUndefined();
  });

  it('know each source by its own names', () => {
    expect(metricSource(`${METRIC.serverDuration}_bucket`, sources)).toBe('package');
    expect(metricSource('process_cpu_seconds_total', sources)).toBe('prom-client default');
    expect(metricSource('nodejs_gc_duration_seconds_sum', sources)).toBe('prom-client default');
    expect(metricSource('node_load1', sources)).toBe('node exporter');
    expect(metricSource('ALERTS', sources)).toBe('prometheus');
  });
});
