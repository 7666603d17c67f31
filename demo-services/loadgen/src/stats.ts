/** Counts and latencies of loadgen's requests since the last progress line, and in total. */

/** The outcome of one request. */
export type Outcome = { status: number; ms: number } | { failed: string; ms: number };

/** A window of outcomes. */
export class Stats {
  #latencies: number[] = [];
  #byClass = new Map<string, number>();
  #failures = new Map<string, number>();
  sent = 0;
  skipped = 0;

  record(outcome: Outcome): void {
    this.sent += 1;
    this.#latencies.push(outcome.ms);
    if ('failed' in outcome) this.#failures.set(outcome.failed, (this.#failures.get(outcome.failed) ?? 0) + 1);
    else {
      const cls = `${Math.floor(outcome.status / 100)}xx`;
      this.#byClass.set(cls, (this.#byClass.get(cls) ?? 0) + 1);
    }
  }

  /** Answers with a 5xx status. */
  get serverErrors(): number {
    return this.#byClass.get('5xx') ?? 0;
  }

  /** Kinds of outright failure seen (`refused`, `timeouts`), sorted. */
  failureKinds(): string[] {
    return [...this.#failures.keys()].sort();
  }

  /** Adds another window's outcomes to this one. */
  merge(other: Stats): void {
    this.sent += other.sent;
    this.skipped += other.skipped;
    this.#latencies.push(...other.#latencies);
    for (const [cls, n] of other.#byClass) this.#byClass.set(cls, (this.#byClass.get(cls) ?? 0) + n);
    for (const [kind, n] of other.#failures) this.#failures.set(kind, (this.#failures.get(kind) ?? 0) + n);
  }

  /** The `p`-quantile (0–1) of latencies in ms, or 0 with no requests. */
  quantile(p: number): number {
    if (this.#latencies.length === 0) return 0;
    const sorted = [...this.#latencies].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  }

  /** One line, e.g. `20.1 req/s  2xx 180  4xx 21  5xx 0  p50 12ms p95 48ms p99 80ms`. */
  line(seconds: number): string {
    const classes = ['2xx', '3xx', '4xx', '5xx'].filter((c) => c !== '3xx' || this.#byClass.has(c)).map((c) => `${c} ${this.#byClass.get(c) ?? 0}`);
    const failures = [...this.#failures].map(([reason, n]) => `${reason} ${n}`);
    const skipped = this.skipped > 0 ? [`skipped ${this.skipped}`] : [];
    const rate = seconds > 0 ? (this.sent / seconds).toFixed(1) : '0.0';
    const q = (p: number) => `${Math.round(this.quantile(p))}ms`;
    return [`${rate} req/s`, ...classes, ...failures, ...skipped, `p50 ${q(0.5)} p95 ${q(0.95)} p99 ${q(0.99)}`].join('  ');
  }
}
