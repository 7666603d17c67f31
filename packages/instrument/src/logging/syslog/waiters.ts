/** `flush()` callers waiting for the shipper to have nothing left to send, each with a timeout. */
export class FlushWaiters {
  #waiters: (() => void)[] = [];

  /** Whether anyone waits. */
  get waiting(): boolean {
    return this.#waiters.length > 0;
  }

  /** Resolves at the next {@link wakeAll}, or after `timeoutMs`, whichever is first. */
  wait(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        const i = this.#waiters.indexOf(done);
        if (i >= 0) this.#waiters.splice(i, 1);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      timer.unref();
      this.#waiters.push(done);
    });
  }

  /** Resolves every pending wait. */
  wakeAll(): void {
    for (const wake of this.#waiters.slice()) wake();
  }
}
