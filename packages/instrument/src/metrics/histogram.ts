/**
 * A histogram for the hot path: series are looked up once per label set and then updated with
 * plain array writes; label sets are capped, and past the cap samples go to one overflow series.
 * It implements prom-client's metric interface, so it lives in a prom-client `Registry` beside
 * the user's own metrics.
 */
import { OVERFLOW_VALUE } from '../core/names.js';
import type { OverflowPolicy } from './overflow.js';

/** An exemplar attached to the bucket an observation fell into. */
export interface Exemplar {
  readonly labelSet: Readonly<Record<string, string>>;
  readonly value: number;
  /** Seconds since the epoch. */
  readonly timestamp: number;
}

/** One label set's state. `counts[i]` counts observations in bucket i only (not cumulative). */
export interface HistogramSeries {
  readonly labelValues: readonly string[];
  readonly counts: Float64Array;
  sum: number;
  count: number;
  readonly exemplars: (Exemplar | undefined)[];
}

/** Construction options of {@link BoundedHistogram}. */
export interface BoundedHistogramOptions {
  name: string;
  help: string;
  labelNames: readonly string[];
  buckets: readonly number[];
  /** Most label sets; the overflow series is extra. */
  maxSeries: number;
  /** Decides past the cap, and counts what it turns away. Without one, the cap alone applies (uncounted). */
  overflow?: OverflowPolicy;
}

interface PromValue {
  labels: Record<string, string | number>;
  value: number;
  metricName: string;
  exemplar?: Exemplar | null;
}

/** See the module comment. */
export class BoundedHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  readonly upperBounds: readonly number[];
  private readonly maxSeries: number;
  private readonly overflow: OverflowPolicy | undefined;
  private readonly byKey = new Map<string, HistogramSeries>();
  /** The admitted series of three-label histograms by their values, for {@link seriesOf}. */
  private readonly byValues = new Map<string, Map<string, Map<string, HistogramSeries>>>();
  private overflowSeries: HistogramSeries | undefined;

  constructor(options: BoundedHistogramOptions) {
    this.name = options.name;
    this.help = options.help;
    this.labelNames = Object.freeze([...options.labelNames]);
    this.upperBounds = Object.freeze([...options.buckets].sort((a, b) => a - b));
    this.maxSeries = options.maxSeries;
    this.overflow = options.overflow;
  }

  /**
   * The series for `labelValues` (in `labelNames` order), created on first use. `key` must be a
   * string that identifies the values (callers build it once, cheaply).
   */
  series(key: string, labelValues: readonly string[]): HistogramSeries {
    const found = this.byKey.get(key);
    if (found !== undefined) return found;
    const admitted = this.overflow ? this.overflow.admits(this.name, this.byKey.size, this.maxSeries) : this.byKey.size < this.maxSeries;
    if (!admitted) {
      return (this.overflowSeries ??= this.newSeries(this.labelNames.map(() => OVERFLOW_VALUE)));
    }
    const created = this.newSeries(labelValues);
    this.byKey.set(key, created);
    return created;
  }

  /**
   * For a histogram with three labels: the series of the values `a`, `b`, `c` (in `labelNames`
   * order), found through nested maps, so the per-observation path builds no key string; created
   * on first use as {@link series} does. A label set turned away by the cap is not remembered
   * (the cap bounds memory too): each of its samples asks the cap again, and is counted.
   */
  seriesOf(a: string, b: string, c: string): HistogramSeries {
    let byB = this.byValues.get(a);
    const found = byB?.get(b)?.get(c);
    if (found !== undefined) return found;
    const series = this.series(JSON.stringify([a, b, c]), [a, b, c]);
    if (series === this.overflowSeries) return series;
    if (byB === undefined) this.byValues.set(a, (byB = new Map()));
    let byC = byB.get(b);
    if (byC === undefined) byB.set(b, (byC = new Map()));
    byC.set(c, series);
    return series;
  }

  /** Records `value` in `series`, with an exemplar when given. */
  observe(series: HistogramSeries, value: number, exemplarLabels?: Readonly<Record<string, string>>): void {
    const bounds = this.upperBounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    series.counts[i]! += 1;
    series.sum += value;
    series.count += 1;
    if (exemplarLabels !== undefined) {
      series.exemplars[i] = { labelSet: exemplarLabels, value, timestamp: Date.now() / 1000 };
    }
  }

  /** Every series, the overflow one last. */
  allSeries(): HistogramSeries[] {
    const all = [...this.byKey.values()];
    if (this.overflowSeries) all.push(this.overflowSeries);
    return all;
  }

  /** prom-client's `get()`: the values in its shape, for `registry.metrics()` and `getMetricsAsJSON()`. */
  async get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: PromValue[] }> {
    const values: PromValue[] = [];
    for (const s of this.allSeries()) {
      const labels: Record<string, string> = {};
      this.labelNames.forEach((n, idx) => (labels[n] = s.labelValues[idx]!));
      let cumulative = 0;
      this.upperBounds.forEach((le, idx) => {
        cumulative += s.counts[idx]!;
        values.push({ labels: { ...labels, le }, value: cumulative, metricName: `${this.name}_bucket`, exemplar: s.exemplars[idx] ?? null });
      });
      values.push({ labels: { ...labels, le: '+Inf' }, value: s.count, metricName: `${this.name}_bucket`, exemplar: s.exemplars[this.upperBounds.length] ?? null });
      values.push({ labels, value: s.sum, metricName: `${this.name}_sum` });
      values.push({ labels, value: s.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  /** Forgets every series. */
  reset(): void {
    this.byKey.clear();
    this.byValues.clear();
    this.overflowSeries = undefined;
  }

  private newSeries(labelValues: readonly string[]): HistogramSeries {
    const n = this.upperBounds.length + 1;
    return { labelValues: Object.freeze([...labelValues]), counts: new Float64Array(n), sum: 0, count: 0, exemplars: new Array<Exemplar | undefined>(n) };
  }
}
