/**
 * Renders a prom-client registry as Prometheus text (0.0.4) or OpenMetrics 1.0 (with exemplars),
 * yielding to the event loop between chunks so a large registry never blocks requests for long.
 *
 * Chunks are small (at most {@link CHUNK_LINES} lines) for the process's memory as much as for
 * its latency: the socket encodes each written string into a native buffer of three bytes per
 * character, and a 10k-series metric in one piece (300 KB of text, a 900 KB buffer per scrape)
 * made the C allocator raise its threshold for large blocks and keep them: a service's RSS grew
 * by 8 MiB after a few scrapes and kept it.
 *
 * prom-client renders one format per registry and, in OpenMetrics mode, renames counters in
 * place; rendering here, per scrape, serves both formats from one registry.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Registry } from 'prom-client';
import { BoundedHistogram } from './histogram.js';
import type { Exemplar } from './histogram.js';

/** Content type of the Prometheus text format. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
/** Content type of OpenMetrics text. */
export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

/** Rendering options. */
export interface RenderOptions {
  /** OpenMetrics (exemplars, `# EOF`) instead of the Prometheus text format. */
  openMetrics: boolean;
  /** Metric names left out of the output. */
  exclude?: ReadonlySet<string>;
  /** Longest run of synchronous work, in ms, before yielding to the event loop. Default 2. */
  sliceMs?: number;
  /**
   * Receives the output in pieces of at most {@link CHUNK_LINES} lines as it is rendered; a
   * returned promise holds rendering until it settles (back-pressure from a slow scraper).
   * Without it the whole text is returned.
   */
  onChunk?: (chunk: string) => void | Promise<void>;
}

/**
 * Lines after which a piece is handed to `onChunk` (about 16 KB of text): a piece ends at the
 * first series that reaches it, so it holds at most this many lines plus one series'.
 */
export const CHUNK_LINES = 256;
/** Series rendered between two looks at the clock. */
const CLOCK_EVERY = 16;

interface GenericValue {
  labels?: Record<string, string | number | undefined>;
  value: number;
  metricName?: string;
  exemplar?: Exemplar | null;
}

const escapeHelp = (s: string, om: boolean): string => {
  const t = s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
  return om ? t.replace(/"/g, '\\"') : t;
};
const escapeLabel = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

function formatLabels(names: readonly string[], values: readonly (string | number | undefined)[]): string {
  let out = '';
  for (let i = 0; i < names.length; i++) {
    const v = values[i];
    if (v === undefined) continue;
    out += `${out ? ',' : ''}${names[i]}="${escapeLabel(String(v))}"`;
  }
  return out ? `{${out}}` : '';
}

function formatExemplar(e: Exemplar | null | undefined): string {
  if (!e) return '';
  const names = Object.keys(e.labelSet);
  return ` # ${formatLabels(names, names.map((n) => e.labelSet[n]))} ${formatValue(e.value)} ${e.timestamp.toFixed(3)}`;
}

/**
 * Yields to the event loop when the current slice has run longer than `sliceMs`, or (when
 * streaming) holds {@link CHUNK_LINES} lines, first handing what was rendered so far to
 * `onChunk`.
 */
class Slicer {
  private started = performance.now();
  private series = 0;
  constructor(
    private readonly sliceMs: number,
    private readonly out: string[],
    private readonly onChunk: RenderOptions['onChunk'],
  ) {}
  /** Called after each series: true when the pending lines make a piece or the slice is over. */
  due(): boolean {
    if (this.onChunk !== undefined && this.out.length >= CHUNK_LINES) return true;
    return ++this.series % CLOCK_EVERY === 0 && performance.now() - this.started >= this.sliceMs;
  }
  /** Hands over what is pending and lets the event loop run. */
  async yield(): Promise<void> {
    await this.drain();
    await yieldToLoop();
    this.started = performance.now();
  }
  /** Hands the pending lines to `onChunk`, and waits for it when it asks to. */
  async drain(): Promise<void> {
    if (this.onChunk && this.out.length > 0) {
      const chunk = `${this.out.join('\n')}\n`;
      this.out.length = 0;
      await this.onChunk(chunk);
    }
  }
}

async function renderBounded(h: BoundedHistogram, om: boolean, out: string[], slicer: Slicer): Promise<void> {
  const les = [...h.upperBounds.map(formatValue), '+Inf'];
  for (const s of h.allSeries()) {
    const base = formatLabels(h.labelNames, s.labelValues);
    const prefix = base ? `${base.slice(0, -1)},` : '{';
    let cumulative = 0;
    for (let i = 0; i < les.length; i++) {
      cumulative += s.counts[i]!;
      out.push(`${h.name}_bucket${prefix}le="${les[i]}"} ${cumulative}${om ? formatExemplar(s.exemplars[i]) : ''}`);
    }
    out.push(`${h.name}_sum${base} ${formatValue(s.sum)}`, `${h.name}_count${base} ${s.count}`);
    if (slicer.due()) await slicer.yield();
  }
}

async function renderGeneric(name: string, type: string, values: readonly GenericValue[], om: boolean, out: string[], slicer: Slicer): Promise<void> {
  // A counter's samples are named `<family>_total` in OpenMetrics and as registered otherwise.
  const counterSample = type !== 'counter' ? undefined : om ? `${name.replace(/_total$/, '')}_total` : name;
  for (const v of values) {
    const sample = counterSample ?? v.metricName ?? name;
    const labels = v.labels ?? {};
    const names = Object.keys(labels);
    const exemplar = om && (type === 'histogram' || type === 'counter') ? formatExemplar(v.exemplar) : '';
    out.push(`${sample}${formatLabels(names, names.map((k) => labels[k]))} ${formatValue(v.value)}${exemplar}`);
    if (slicer.due()) await slicer.yield();
  }
}

/** Renders every metric of `registry` (see the module comment). */
export async function renderRegistry(registry: Registry, options: RenderOptions): Promise<string> {
  const om = options.openMetrics;
  const out: string[] = [];
  const slicer = new Slicer(options.sliceMs ?? 2, out, options.onChunk);
  for (const metric of registry.getMetricsAsArray() as unknown as { name: string; help: string; type: string; get(): unknown }[]) {
    if (options.exclude?.has(metric.name)) continue;
    const type = metric.type === 'histogram' || metric.type === 'summary' || metric.type === 'counter' || metric.type === 'gauge' ? metric.type : 'untyped';
    const family = om && type === 'counter' ? metric.name.replace(/_total$/, '') : metric.name;
    out.push(`# HELP ${family} ${escapeHelp(metric.help, om)}`, `# TYPE ${family} ${om && type === 'untyped' ? 'unknown' : type}`);
    if (metric instanceof BoundedHistogram) {
      await renderBounded(metric, om, out, slicer);
    } else {
      const data = (await metric.get()) as { values?: GenericValue[] };
      await renderGeneric(metric.name, type, data.values ?? [], om, out, slicer);
    }
    if (slicer.due()) await slicer.yield();
  }
  if (om) out.push('# EOF');
  if (options.onChunk) {
    await slicer.drain();
    return '';
  }
  return `${out.join('\n')}\n`;
}

/** True when an `Accept` header asks for OpenMetrics. */
export function wantsOpenMetrics(accept: string | undefined): boolean {
  return typeof accept === 'string' && accept.includes('application/openmetrics-text');
}
