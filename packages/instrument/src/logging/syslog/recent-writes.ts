/**
 * The completion times of recent writes, kept for a window: what a broken connection may have
 * taken with it. Adding is O(1) amortized and allocates nothing once the buffer has grown.
 */
export class RecentWrites {
  #times: number[] = [];
  #head = 0;

  constructor(readonly windowMs: number) {}

  /** Notes a write completed at `at` (ms), forgetting the ones older than the window. */
  add(at: number): void {
    this.#forget(at - this.windowMs);
    this.#times.push(at);
  }

  /** How many writes completed at or after `since`; forgets all of them. */
  takeSince(since: number): number {
    this.#forget(since);
    const n = this.#times.length - this.#head;
    this.#times = [];
    this.#head = 0;
    return n;
  }

  #forget(before: number): void {
    const t = this.#times;
    while (this.#head < t.length && t[this.#head]! < before) this.#head++;
    if (this.#head > 1024 && this.#head * 2 > t.length) {
      this.#times = t.slice(this.#head);
      this.#head = 0;
    }
  }
}
