/**
 * Reconnection delays: doubled after each failed attempt from `baseDelayMs` up to `maxDelayMs`,
 * half fixed and half random, so the reconnections of many replicas do not arrive in step.
 */
export class Backoff {
  #attempt = 0;
  readonly #baseMs: number;
  readonly #maxMs: number;

  constructor(baseMs: number, maxMs: number) {
    this.#baseMs = baseMs;
    this.#maxMs = maxMs;
  }

  /** The delay before the next attempt (and counts the attempt). */
  next(random: () => number = Math.random): number {
    const ceiling = Math.min(this.#maxMs, this.#baseMs * 2 ** Math.min(this.#attempt, 30));
    this.#attempt++;
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
  }

  /** A connection succeeded: start again from the base delay. */
  reset(): void {
    this.#attempt = 0;
  }
}
