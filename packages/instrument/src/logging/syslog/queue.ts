/**
 * A fixed-capacity FIFO of encoded messages. When full, the oldest message makes room for the
 * newest (the freshest logs are the ones worth having when a collector comes back), and the
 * caller counts what was evicted. Memory is bounded by capacity × the largest message.
 */
export class BoundedQueue<T> {
  readonly #items: (T | undefined)[];
  #head = 0;
  #size = 0;

  /** Most items held at once. */
  readonly capacity: number;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.#items = new Array<T | undefined>(capacity);
  }

  /** Items held. */
  get length(): number {
    return this.#size;
  }

  /** Appends `item`; returns how many old items were evicted to make room (0 or 1). */
  push(item: T): number {
    const evicted = this.#size === this.capacity ? 1 : 0;
    if (evicted) this.shift();
    this.#items[(this.#head + this.#size) % this.capacity] = item;
    this.#size++;
    return evicted;
  }

  /** Removes and returns the oldest item. */
  shift(): T | undefined {
    if (this.#size === 0) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head] = undefined;
    this.#head = (this.#head + 1) % this.capacity;
    this.#size--;
    return item;
  }

  /**
   * Puts `items` (oldest first) back in front of the queue, as when messages written to a
   * connection that then failed are retried. Returns how many could not fit and were discarded:
   * the oldest of `items`, in keeping with the eviction order.
   */
  requeue(items: readonly T[]): number {
    const room = this.capacity - this.#size;
    const keep = items.slice(Math.max(0, items.length - room));
    for (let i = keep.length - 1; i >= 0; i--) {
      this.#head = (this.#head - 1 + this.capacity) % this.capacity;
      this.#items[this.#head] = keep[i];
      this.#size++;
    }
    return items.length - keep.length;
  }

  /** Empties the queue; returns how many items it held. */
  clear(): number {
    const n = this.#size;
    this.#items.fill(undefined);
    this.#head = 0;
    this.#size = 0;
    return n;
  }
}
