/** Prometheus durations ("90s", "1h30m", "3d"): parsing and formatting, in seconds. */

const UNIT_SECONDS: Readonly<Record<string, number>> = {
  y: 365 * 86_400,
  w: 7 * 86_400,
  d: 86_400,
  h: 3_600,
  m: 60,
  s: 1,
  ms: 0.001,
};
const ORDER = ['y', 'w', 'd', 'h', 'm', 's', 'ms'];
const WHOLE = /^(?:\d+(?:y|w|d|h|ms|m|s))+$/;
const PART = /(\d+)(y|w|d|h|ms|m|s)/g;

/**
 * Seconds in a Prometheus duration; throws on anything Prometheus would reject. `0` alone needs
 * no unit, as in Prometheus. This is the one duration grammar of the repo: rules, dashboards and
 * the command lines (`--duration 10m`, `--latency 800ms`) all read it.
 */
export function parseDuration(duration: string): number {
  if (duration === '0') return 0;
  if (!WHOLE.test(duration)) {
    throw new Error(`invalid duration "${duration}" - expected units of y, w, d, h, m, s, ms such as "5m" or "1h30m"`);
  }
  let seconds = 0;
  for (const [, amount, unit] of duration.matchAll(PART)) seconds += Number(amount) * UNIT_SECONDS[unit!]!;
  return seconds;
}

/** The shortest Prometheus duration for a number of seconds (5400 → "1h30m"; 0 → "0s"). */
export function formatDuration(seconds: number): string {
  let rest = Math.round(seconds * 1000);
  if (rest === 0) return '0s';
  let text = '';
  for (const unit of ORDER) {
    const size = Math.round(UNIT_SECONDS[unit]! * 1000);
    const amount = Math.floor(rest / size);
    if (amount > 0) {
      text += `${amount}${unit}`;
      rest -= amount * size;
    }
  }
  return text;
}
