/**
 * Tracing for one instrumented app, when turned on: the pipeline (see provider.ts) and the
 * `periscope_spans_dropped_total{reason}` counter that accounts for every span it drops.
 */
import { Counter } from 'prom-client';
import type { Registry } from 'prom-client';
import { LABEL, METRIC } from '../core/names.js';
import type { ResolvedOptions } from '../core/options.js';
import type { Report } from '../core/report.js';
import { startTracing } from './provider.js';
import type { Tracing } from './provider.js';

export type { Tracing } from './provider.js';
export { endServerSpan, startServerSpan } from './server-span.js';

/**
 * Starts tracing when `opts.tracing` is on; `undefined` otherwise. The dropped-spans counter is
 * registered either way, so dashboards and alerts find the series (at 0) on every service.
 */
export function createTracing(opts: ResolvedOptions, registry: Registry, report: Report): Tracing | undefined {
  const spansDropped = new Counter({
    name: METRIC.spansDropped,
    help: 'Finished spans dropped before export: the queue was full or the export failed.',
    labelNames: [LABEL.reason],
    registers: [registry],
  });
  if (!opts.tracing) return undefined;
  return startTracing({
    service: opts.service,
    version: opts.version,
    env: process.env,
    spansFile: opts.spansFile,
    fileRotation: opts.fileRotation,
    exporters: opts.spanExporters,
    onDrop: (count, reason) => spansDropped.inc({ [LABEL.reason]: reason }, count),
    onError: report,
  });
}
