/**
 * Reading a service's own `/metrics` (Prometheus text exposition): the sample lines the soak
 * checks — memory, event-loop delay, series count, and the package's drop counters.
 */
import { LABEL, METRIC, METRICS_PATH } from '@periscope/instrument/contract';
import { SERIES_METRIC } from './app/names.ts';

/** One sample: metric name, its labels, its value. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** What the soak keeps of one scrape. */
export interface Snapshot {
  /** When it was taken (ms since the epoch). */
  at: number;
  /** Sample lines (series), the soak's synthetic gauge not counted. */
  series: number;
  rssBytes: number;
  heapUsedBytes: number;
  /** V8's committed heap. */
  heapTotalBytes: number;
  /** Memory outside V8's heap that JavaScript objects hold (Buffers, ArrayBuffers). */
  externalBytes: number;
  eventLoopP99Seconds: number;
  /** Syslog records certainly not delivered (every reason but `unconfirmed`). */
  syslogDropped: number;
  /**
   * Syslog records counted with reason `unconfirmed`: written into a TCP connection that broke
   * before the peer proved it alive. Some of them may have arrived, so this is an upper bound.
   */
  syslogUnconfirmed: number;
  /** Log lines stdout dropped because the soak's reader could not keep up (the service's buffer was full). */
  stdoutDropped: number;
  spansDropped: number;
  /** Incoming traceparent/tracestate headers and baggage members the propagators dropped as invalid. */
  propagationDropped: number;
  activeRequests: number;
  /** Inbound requests counted in RED (each one a server span). */
  serverRequests: number;
  /** Outbound calls counted (each one a client span). */
  clientRequests: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\S+)?$/;
const LABEL_PAIR = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses the sample lines of a text exposition (comments and blank lines skipped). */
export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (m[2] ?? '').matchAll(LABEL_PAIR)) labels[key!] = value!;
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return samples;
}

const sum = (samples: Sample[], name: string, keep: (s: Sample) => boolean = () => true) =>
  samples.filter((s) => s.name === name && keep(s)).reduce((total, s) => total + s.value, 0);
const UNCONFIRMED = 'unconfirmed';

/** The snapshot of one exposition. */
export function snapshotOf(text: string, at = Date.now()): Snapshot {
  const samples = parseExposition(text);
  return {
    at,
    series: samples.filter((s) => s.name !== SERIES_METRIC).length,
    rssBytes: sum(samples, 'process_resident_memory_bytes'),
    heapUsedBytes: sum(samples, 'nodejs_heap_size_used_bytes'),
    heapTotalBytes: sum(samples, 'nodejs_heap_size_total_bytes'),
    externalBytes: sum(samples, 'nodejs_external_memory_bytes'),
    eventLoopP99Seconds: sum(samples, 'nodejs_eventloop_lag_p99_seconds'),
    syslogDropped: sum(samples, METRIC.syslogDropped, (s) => s.labels.reason !== UNCONFIRMED),
    syslogUnconfirmed: sum(samples, METRIC.syslogDropped, (s) => s.labels.reason === UNCONFIRMED),
    stdoutDropped: sum(samples, METRIC.logDropped, (s) => s.labels[LABEL.destination] === 'stdout'),
    spansDropped: sum(samples, METRIC.spansDropped),
    propagationDropped: sum(samples, METRIC.propagationDropped),
    activeRequests: sum(samples, METRIC.serverActive),
    serverRequests: sum(samples, `${METRIC.serverDuration}_count`),
    clientRequests: sum(samples, `${METRIC.clientDuration}_count`),
  };
}

/** Scrapes `baseUrl`'s `/metrics`; `undefined` when it does not answer within `timeoutMs`. */
export async function scrape(baseUrl: string, timeoutMs = 5_000): Promise<Snapshot | undefined> {
  try {
    const res = await fetch(`${baseUrl}${METRICS_PATH}`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return undefined;
    return snapshotOf(await res.text());
  } catch {
    return undefined;
  }
}
