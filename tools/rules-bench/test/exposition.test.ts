import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { main } from '@periscope/cli';
import { DURATION_BUCKETS, METRIC } from '@periscope/instrument/contract';
import { historyChunks, historyTimes, histogramSeriesCount, labelText, serviceExposition } from '../exposition.ts';
import { parseMetrics, quantile, ruleLabel, sumOf } from '../measure.ts';
import { eventsUntil, histogramAt, makeService, makeServices, normalCdf, shareWithin } from '../services.ts';
import { declaringServices, openSloFile, prometheusConfig } from '../setup.ts';
import { removeTempTrees, tempTree } from '../../testing/temp-tree.ts';

afterAll(removeTempTrees);

const T0 = 1_700_000_000;

describe('synthetic services', () => {
  it('answer 12 server and 2 client label sets, each a histogram of the contract buckets: 238 series', () => {
    const s = makeService(5, 30);
    expect(s.server).toHaveLength(12);
    expect(s.client).toHaveLength(2);
    expect(histogramSeriesCount(s)).toBe(14 * (DURATION_BUCKETS.length + 3));
    expect(new Set(makeServices(30).map((x) => x.job)).size).toBe(30);
  });

  it('fail a little and answer mostly fast, except the burning ones', () => {
    const errors = (s: ReturnType<typeof makeService>) =>
      s.server.filter((l) => l.labels.http_response_status_code === '500').reduce((n, l) => n + l.rate, 0) / s.rate;
    expect(errors(makeService(1, 30))).toBeCloseTo(0.0005 * 0.95, 6);
    expect(errors(makeService(7, 30))).toBeGreaterThan(0.005);
    expect(shareWithin(0.5, makeService(1, 30).server[0]!.median)).toBeGreaterThan(0.99);
    expect(shareWithin(0.5, makeService(8, 30).server[0]!.median)).toBeLessThan(0.9);
  });

  it('compute the normal CDF to within 1e-6', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(1.96)).toBeCloseTo(0.975, 3);
    expect(normalCdf(-1)).toBeCloseTo(1 - normalCdf(1), 6);
  });

  it('count events that only grow, from 0 at T0, about rate × seconds over a day', () => {
    expect(eventsUntil(10, T0, T0, 3_600)).toBe(0);
    let last = -1;
    for (let t = T0; t < T0 + 86_400; t += 600) {
      const v = eventsUntil(10, t, T0, 3_600);
      expect(v).toBeGreaterThan(last);
      last = v;
    }
    expect(eventsUntil(10, T0 + 86_400, T0, 3_600)).toBeCloseTo(864_000, 0);
  });

  it('keep the buckets cumulative, +Inf equal to the count', () => {
    const { buckets, count } = histogramAt(makeService(3, 30).server[0]!, T0 + 7_200, T0, 0);
    expect(buckets.map(([le]) => le)).toEqual([...DURATION_BUCKETS.map(String), '+Inf']);
    for (let i = 1; i < buckets.length; i++) expect(buckets[i]![1]).toBeGreaterThanOrEqual(buckets[i - 1]![1]);
    expect(buckets.at(-1)![1]).toBe(count);
  });
});

describe('exposition', () => {
  it('escapes label values', () => {
    expect(labelText({ a: 'x"y\\z' })).toBe('a="x\\"y\\\\z"');
  });

  it('serves both histograms and the process gauges in the text format', () => {
    const s = makeService(2, 3);
    const text = serviceExposition(s, T0 + 60, T0);
    const samples = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    expect(samples.filter((l) => l.startsWith(`${METRIC.serverDuration}_bucket{`))).toHaveLength(12 * 15);
    expect(samples.filter((l) => l.startsWith(`${METRIC.clientDuration}_count{`))).toHaveLength(2);
    expect(text).toContain('le="0.5"');
    expect(text).toContain(`${METRIC.buildInfo}{service="svc-002"`);
  });

  it('writes the history as OpenMetrics: every series in time order, the target labels on each, # EOF last', () => {
    const services = makeServices(2);
    const times = historyTimes(T0, T0 + 3_600, 900);
    expect(times).toEqual([T0, T0 + 900, T0 + 1_800, T0 + 2_700, T0 + 3_600]);
    const text = [...historyChunks(services, '127.0.0.1:9', times, T0)].join('');
    expect(text.endsWith('# EOF\n')).toBe(true);
    const lines = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    expect(lines).toHaveLength(2 * 238 * times.length);
    const bySeries = new Map<string, number[]>();
    for (const line of lines) {
      const [series, , ts] = line.split(' ');
      bySeries.set(series!, [...(bySeries.get(series!) ?? []), Number(ts)]);
    }
    expect(bySeries.size).toBe(2 * 238);
    for (const stamps of bySeries.values()) expect(stamps).toEqual(times);
    expect(lines[0]).toMatch(/^http_server_request_duration_seconds_bucket\{job="svc-000",instance="127.0.0.1:9",team="team-00",/);
  });
});

describe('setup', () => {
  it('declares objectives for a tenth of the services, in OpenSLO files the CLI accepts', async () => {
    expect(declaringServices(makeServices(30)).map((s) => s.job)).toEqual(['svc-000', 'svc-010', 'svc-020']);
    const dir = tempTree({ 'svc-010.yaml': openSloFile('svc-010') });
    expect(await main(['slo', 'check', `${dir}/svc-010.yaml`])).toBe(0);
  });

  it('writes a Prometheus config with the rule files and one job per service', () => {
    const config = parse(prometheusConfig(makeServices(3), '127.0.0.1:9', ['/r/*.rules.yml'])) as any;
    expect(config.rule_files).toEqual(['/r/*.rules.yml']);
    expect(config.scrape_configs.map((j: any) => j.metrics_path)).toEqual(['/metrics/svc-000', '/metrics/svc-001', '/metrics/svc-002']);
    expect(config.scrape_configs[1].static_configs[0]).toEqual({ targets: ['127.0.0.1:9'], labels: { team: 'team-01' } });
  });
});

describe('measurements', () => {
  it('reads Prometheus metrics by name and label', () => {
    const m = parseMetrics('# HELP x\nprometheus_tsdb_head_series 1234\nx{rule_group="a;b"} 2\nx{rule_group="a;c"} 3\n');
    expect(sumOf(m, 'prometheus_tsdb_head_series')).toBe(1234);
    expect(sumOf(m, 'x')).toBe(5);
    expect(sumOf(m, 'x', ';c"')).toBe(3);
  });

  it('names an alert rule by its window pair, and takes nearest-rank quantiles', () => {
    expect(ruleLabel({ type: 'alerting', name: 'A', query: '(job:slo_x:ratio_rate1d / 2) > 3 and (job:slo_x:ratio_rate2h / 2) > 3' })).toBe('A 1d/2h');
    expect(ruleLabel({ type: 'recording', name: 'job:r', query: 'x' })).toBe('job:r');
    expect(quantile([5, 1, 3, 2, 4], 0.5)).toBe(3);
    expect(Number.isNaN(quantile([], 0.5))).toBe(true);
  });
});
