/** What the queue holds: anything that knows its size in bytes. */
export interface Sized {
  readonly bytes: number;
}

/**
 * A FIFO of encoded messages bounded twice: by count and by bytes. When a new message does not
 * fit, the oldest make room for it (the freshest logs are the ones worth having when a collector
 * comes back), and the caller counts what was evicted. Memory is bounded by `maxBytes`.
 */
export class BoundedQueue<T extends Sized> {
  readonly #items: (T | undefined)[];
  #head = 0;
  #size = 0;
  #bytes = 0;

  /** Most messages held at once. */
  readonly maxRecords: number;
  /** Most bytes held at once. */
  readonly maxBytes: number;

  constructor(maxRecords: number, maxBytes = Number.POSITIVE_INFINITY) {
    this.maxRecords = maxRecords;
    this.maxBytes = maxBytes;
    this.#items = new Array<T | undefined>(maxRecords);
  }

  /** Messages held. */
  get length(): number {
    return this.#size;
  }

  /** Bytes held. */
  get bytes(): number {
    return this.#bytes;
  }

  /**
   * Appends `item`; returns how many old items were evicted to make room. An item larger than
   * `maxBytes` on its own is not kept (1 is returned for it: it counts as evicted).
   */
  push(item: T): number {
    if (item.bytes > this.maxBytes) return 1;
    let evicted = 0;
    while (this.#size === this.maxRecords || this.#bytes + item.bytes > this.maxBytes) {
      this.shift();
      evicted++;
    }
    this.#items[(this.#head + this.#size) % this.maxRecords] = item;
    this.#size++;
    this.#bytes += item.bytes;
    return evicted;
  }

  /** Removes and returns the oldest item. */
  shift(): T | undefined {
    if (this.#size === 0) return undefined;
    const item = this.#items[this.#head]!;
    this.#items[this.#head] = undefined;
    this.#head = (this.#head + 1) % this.maxRecords;
    this.#size--;
    this.#bytes -= item.bytes;
    return item;
  }

  /**
   * Puts `items` (oldest first) back in front of the queue, as when messages written to a
   * connection that then failed are retried. Returns how many could not fit and were discarded:
   * the oldest of `items`, in keeping with the eviction order.
   */
  requeue(items: readonly T[]): number {
    let kept = 0;
    for (let i = items.length - 1; i >= 0; i--) {
      const item = items[i]!;
      if (this.#size === this.maxRecords || this.#bytes + item.bytes > this.maxBytes) break;
      this.#head = (this.#head - 1 + this.maxRecords) % this.maxRecords;
      this.#items[this.#head] = item;
      this.#size++;
      this.#bytes += item.bytes;
      kept++;
    }
    return items.length - kept;
  }

  /** Empties the queue; returns how many items it held. */
  clear(): number {
    const n = this.#size;
    this.#items.fill(undefined);
    this.#head = 0;
    this.#size = 0;
    this.#bytes = 0;
    return n;
  }
}
