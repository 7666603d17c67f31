/**
 * The synthetic services as Prometheus reads them: the text exposition a scrape gets (live), and
 * the OpenMetrics lines of their history for `promtool tsdb create-blocks-from openmetrics`. Both
 * come from the same counters (services.ts), so a series continues from its history into the
 * head without a reset.
 */
import { METRIC } from '@periscope/instrument/contract';
import { histogramAt } from './services.ts';
import type { LabelSet, SyntheticService } from './services.ts';

/** `a="1",b="2"`: label values escaped as the exposition formats require. */
export function labelText(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
    .join(',');
}

const HISTOGRAMS = [
  { name: METRIC.serverDuration, help: 'Duration of HTTP server requests.', sets: (s: SyntheticService) => s.server },
  { name: METRIC.clientDuration, help: 'Duration of HTTP client requests.', sets: (s: SyntheticService) => s.client },
] as const;

/** The series of one histogram label set at `t`, as [name, labels, value]. */
function histogramSeries(name: string, set: LabelSet, t: number, t0: number, phase: number): [string, string, number][] {
  const { buckets, count, sum } = histogramAt(set, t, t0, phase);
  const base = labelText(set.labels);
  return [
    ...buckets.map(([le, v]): [string, string, number] => [`${name}_bucket`, `${base},le="${le}"`, v]),
    [`${name}_sum`, base, sum],
    [`${name}_count`, base, count],
  ];
}

/** Number of histogram series one service exposes (label sets × (buckets + +Inf + _sum + _count)). */
export function histogramSeriesCount(service: SyntheticService): number {
  const perSet = histogramSeries('x', service.server[0]!, 1, 0, 0).length;
  return (service.server.length + service.client.length) * perSet;
}

/**
 * What `GET /metrics/<job>` answers at `t` (Unix seconds): both duration histograms plus the few
 * gauges and counters a Periscope service always has (in-flight requests, event-loop utilization,
 * CPU, build info), in the Prometheus text format 0.0.4.
 */
export function serviceExposition(service: SyntheticService, t: number, t0: number): string {
  const out: string[] = [];
  for (const h of HISTOGRAMS) {
    out.push(`# HELP ${h.name} ${h.help}`, `# TYPE ${h.name} histogram`);
    for (const set of h.sets(service)) {
      for (const [name, labels, value] of histogramSeries(h.name, set, t, t0, service.phase)) out.push(`${name}{${labels}} ${value}`);
    }
  }
  const load = 0.2 + 0.1 * Math.sin((t + service.phase) / 600);
  out.push(
    `# TYPE ${METRIC.serverActive} gauge`,
    ...['GET', 'POST', 'DELETE'].map((m, i) => `${METRIC.serverActive}{http_request_method="${m}"} ${(service.index + i) % 3}`),
    `# TYPE ${METRIC.eventLoopUtilization} gauge`,
    `${METRIC.eventLoopUtilization} ${load.toFixed(3)}`,
    '# TYPE process_cpu_seconds_total counter',
    `process_cpu_seconds_total ${((t - t0) * load).toFixed(2)}`,
    `# TYPE ${METRIC.buildInfo} gauge`,
    `${METRIC.buildInfo}{service="${service.job}",version="1.0.0",commit="bench"} 1`,
  );
  return `${out.join('\n')}\n`;
}

/** The labels Prometheus attaches to a scraped series of `service`: its job, its instance, its team. */
export function targetLabels(service: SyntheticService, instance: string): Record<string, string> {
  return { job: service.job, instance, team: service.team };
}

/** Timestamps of the history: from `start` to `end` (Unix seconds) every `step`. */
export function historyTimes(start: number, end: number, step: number): number[] {
  const times: number[] = [];
  for (let t = start; t <= end; t += step) times.push(t);
  return times;
}

/**
 * The OpenMetrics text of the services' duration histograms at `times`, in chunks (the whole text
 * of 300 services is gigabytes). One `unknown` family per sample name (as alerts/e2e/history.ts
 * writes them: promtool reads any sample under it), every series in time order; ends with `# EOF`.
 */
export function* historyChunks(services: readonly SyntheticService[], instance: string, times: readonly number[], t0: number): Generator<string> {
  for (const h of HISTOGRAMS) {
    for (const suffix of ['_bucket', '_sum', '_count']) {
      const name = `${h.name}${suffix}`;
      yield `# TYPE ${name} unknown\n`;
      for (const service of services) {
        const target = labelText(targetLabels(service, instance));
        for (const set of h.sets(service)) {
          const rows = times.map((t) => histogramSeries(h.name, set, t, t0, service.phase).filter(([n]) => n === name));
          const width = rows[0]?.length ?? 0;
          const lines: string[] = [];
          for (let s = 0; s < width; s++) {
            for (let i = 0; i < times.length; i++) {
              const [, labels, value] = rows[i]![s]!;
              lines.push(`${name}{${target},${labels}} ${value} ${times[i]}`);
            }
          }
          yield `${lines.join('\n')}\n`;
        }
      }
    }
  }
  yield '# EOF\n';
}
