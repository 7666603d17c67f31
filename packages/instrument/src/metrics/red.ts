/**
 * RED metrics: rate, errors and duration of inbound requests and of outbound calls, plus the
 * in-flight gauge, with the contract's names, labels and buckets and a cap on label sets.
 */
import type { Registry } from 'prom-client';
import { BoundedHistogram } from './histogram.js';
import { KeyedGauge } from './keyed-gauge.js';
import type { OverflowPolicy } from './overflow.js';
import { DURATION_BUCKETS, LABEL, METRIC } from '../core/names.js';

/** Exemplar labels for a duration observation: the trace of the request. */
export type ExemplarLabels = Readonly<{ trace_id: string; span_id: string }>;

/** The RED instruments of one instrumented app. */
export interface RedMetrics {
  /** Records one finished inbound request. */
  recordServer(method: string, route: string, status: number, seconds: number, exemplar?: ExemplarLabels): void;
  /** Changes the in-flight count for `method` by `delta` (+1 at start, -1 at end). */
  active(method: string, delta: 1 | -1): void;
  /** Records one finished outbound call. */
  recordClient(method: string, serverAddress: string, status: number | undefined, seconds: number, exemplar?: ExemplarLabels): void;
}

/** Creates the RED instruments and registers them on `registry`. */
export function createRedMetrics(registry: Registry, maxLabelSets: number, overflow: OverflowPolicy): RedMetrics {
  const duration = (name: string, help: string, labelNames: string[]) =>
    new BoundedHistogram({ name, help, labelNames, buckets: DURATION_BUCKETS, maxSeries: maxLabelSets, overflow });
  const server = duration(METRIC.serverDuration, 'Duration of inbound HTTP requests, in seconds.', [LABEL.method, LABEL.route, LABEL.status]);
  const client = duration(METRIC.clientDuration, 'Duration of outbound HTTP requests, in seconds.', [LABEL.method, LABEL.serverAddress, LABEL.status]);
  const inFlight = new KeyedGauge(METRIC.serverActive, 'Inbound HTTP requests being handled.', LABEL.method);
  for (const m of [server, client, inFlight]) registry.registerMetric(m as never);

  const observe = (h: BoundedHistogram, a: string, b: string, status: string, seconds: number, exemplar?: ExemplarLabels) =>
    h.observe(h.seriesOf(a, b, status), seconds, exemplar);

  return {
    recordServer: (method, route, status, seconds, exemplar) => observe(server, method, route, String(status), seconds, exemplar),
    active: (method, delta) => inFlight.add(method, delta),
    recordClient: (method, address, status, seconds, exemplar) =>
      observe(client, method, address, status === undefined ? '' : String(status), seconds, exemplar),
  };
}
