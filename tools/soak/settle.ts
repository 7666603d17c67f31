/**
 * When a process's memory has settled: the warm-up lasts until every service's RSS has held
 * still for a while, so that the growth judged afterwards is growth, not a process still
 * reaching its working set (V8 sizing its heap, code compiled, the allocator's arenas filled).
 */

/** One RSS sample. */
export interface RssSample {
  at: number;
  rssBytes: number;
}

/** How long RSS must hold still. */
export const SETTLE_WINDOW_MS = 60_000;
/** How still: (max − min) / min over the window. */
export const SETTLE_TOLERANCE = 0.02;

/** Whether `samples` (oldest first) span the last `windowMs` before `now` and stay within `tolerance` over it. */
export function rssSettled(samples: readonly RssSample[], now: number, windowMs = SETTLE_WINDOW_MS, tolerance = SETTLE_TOLERANCE): boolean {
  if (samples.length === 0 || now - samples[0]!.at < windowMs) return false;
  const recent = samples.filter((s) => s.at >= now - windowMs);
  if (recent.length < 2) return false;
  const values = recent.map((s) => s.rssBytes);
  const min = Math.min(...values);
  return (Math.max(...values) - min) / min <= tolerance;
}

/** RSS samples per service, trimmed to what {@link rssSettled} needs. */
export class RssHistory {
  readonly #samples = new Map<string, RssSample[]>();

  add(service: string, sample: RssSample): void {
    const list = this.#samples.get(service) ?? [];
    list.push(sample);
    while (list.length > 2 && list[1]!.at <= sample.at - SETTLE_WINDOW_MS) list.shift();
    this.#samples.set(service, list);
  }

  /** Whether every service with samples has settled. */
  allSettled(now = Date.now()): boolean {
    return this.#samples.size > 0 && [...this.#samples.values()].every((list) => rssSettled(list, now));
  }
}
