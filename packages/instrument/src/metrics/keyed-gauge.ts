/**
 * A gauge over one low-cardinality label whose values are plain numbers in a map: cheap enough
 * to change twice per request. Implements prom-client's metric interface.
 */

/** See the module comment. */
export class KeyedGauge {
  readonly type = 'gauge';
  readonly aggregator = 'sum';
  private readonly values = new Map<string, number>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelName: string,
  ) {}

  /** Adds `delta` to the value for `key`. */
  add(key: string, delta: number): void {
    this.values.set(key, (this.values.get(key) ?? 0) + delta);
  }

  /** prom-client's `get()`. */
  async get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: { labels: Record<string, string>; value: number }[] }> {
    const values = [...this.values].map(([k, v]) => ({ labels: { [this.labelName]: k }, value: v }));
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  /** Forgets every value. */
  reset(): void {
    this.values.clear();
  }
}
