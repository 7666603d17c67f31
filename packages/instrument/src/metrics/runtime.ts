/**
 * Process and Node.js runtime metrics: prom-client's defaults (minus three that break
 * `promtool check metrics`), event-loop utilization, and the build info series.
 */
import { performance } from 'node:perf_hooks';
import { Gauge, collectDefaultMetrics } from 'prom-client';
import type { Registry } from 'prom-client';
import { LABEL, METRIC } from '../core/names.js';

/**
 * prom-client's gauges named with a counter's `_total` suffix. promtool rejects them; the same
 * numbers remain available per type in `nodejs_active_handles`, `nodejs_active_requests` and
 * `nodejs_active_resources` (sum them for the total).
 */
export const MISNAMED_DEFAULT_GAUGES: readonly string[] = Object.freeze([
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
]);

/** Registers prom-client's default metrics on `registry`, without the misnamed gauges. */
export function registerDefaultMetrics(registry: Registry): void {
  collectDefaultMetrics({ register: registry });
  for (const name of MISNAMED_DEFAULT_GAUGES) registry.removeSingleMetric(name);
}

/**
 * `nodejs_eventloop_utilization_ratio`: the share of time the event loop was busy since the
 * previous scrape (0–1), from `performance.eventLoopUtilization()`.
 */
export function registerEventLoopUtilization(registry: Registry): void {
  let previous = performance.eventLoopUtilization();
  new Gauge({
    name: METRIC.eventLoopUtilization,
    help: 'Share of time the event loop was busy since the previous scrape (0-1).',
    registers: [registry],
    collect() {
      const now = performance.eventLoopUtilization();
      this.set(performance.eventLoopUtilization(now, previous).utilization);
      previous = now;
    },
  });
}

/** `periscope_build_info{service,version,commit} 1`. */
export function registerBuildInfo(registry: Registry, build: { service: string; version: string; commit: string }): void {
  const gauge = new Gauge({
    name: METRIC.buildInfo,
    help: 'The running build: always 1, labelled with service, version and commit.',
    labelNames: [LABEL.service, LABEL.version, LABEL.commit],
    registers: [registry],
  });
  gauge.set({ [LABEL.service]: build.service, [LABEL.version]: build.version, [LABEL.commit]: build.commit }, 1);
}
