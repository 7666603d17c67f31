/**
 * Durations and latency distributions as people type them: `200ms`, `90s`, `1h30m`, `100ms-400ms`,
 * `normal:200ms,50ms`, `exp:150ms`. Used by the admin endpoints, the fault CLI, loadgen and the soak.
 * A duration is written as Prometheus writes one (@periscope/stack's `parseDuration`): the same
 * grammar as the alert rules and the other command lines of the repo.
 */
import { parseDuration } from '@periscope/stack';

/**
 * Milliseconds in a duration such as `800ms`, `90s`, `10m`, `1h30m` or `0`. `what` (the flag or
 * field that carried it) and the value are named in the `Error` thrown for anything else.
 */
export function parseDurationMs(text: string, what: string): number {
  try {
    // Prometheus durations are whole milliseconds: rounding only undoes the seconds' float error.
    return Math.round(parseDuration(text.trim()) * 1000);
  } catch {
    throw new Error(`${what} "${text}" is not a duration: expected e.g. 800ms, 90s, 10m or 1h30m`);
  }
}

/** A latency to add to each request, in milliseconds. */
export type LatencySpec =
  | { kind: 'fixed'; ms: number }
  | { kind: 'uniform'; minMs: number; maxMs: number }
  | { kind: 'normal'; meanMs: number; stdDevMs: number }
  | { kind: 'exponential'; meanMs: number };

/**
 * Parses a latency: `200ms` (fixed), `100ms-400ms` (uniform), `normal:200ms,50ms` (mean, standard
 * deviation) or `exp:150ms` (exponential with that mean: a long tail).
 */
export function parseLatency(text: string, what = 'latency'): LatencySpec {
  const spec = text.trim();
  const duration = (part: string): number => parseDurationMs(part, what);
  if (spec.startsWith('normal:')) {
    const [mean, stdDev, extra] = spec.slice('normal:'.length).split(',');
    if (mean === undefined || stdDev === undefined || extra !== undefined) {
      throw new Error(`${what} "${text}" is not a normal latency: expected normal:<mean>,<std dev>, e.g. normal:200ms,50ms`);
    }
    return { kind: 'normal', meanMs: duration(mean), stdDevMs: duration(stdDev) };
  }
  if (spec.startsWith('exp:')) return { kind: 'exponential', meanMs: duration(spec.slice('exp:'.length)) };
  const range = /^(.+?)-(.+)$/.exec(spec);
  if (range) {
    const minMs = duration(range[1]!);
    const maxMs = duration(range[2]!);
    if (maxMs < minMs) throw new Error(`${what} "${text}" is not a range: the upper bound is below the lower one`);
    return { kind: 'uniform', minMs, maxMs };
  }
  return { kind: 'fixed', ms: duration(spec) };
}

/** Checks a latency received as JSON (from the admin API) and returns it typed; throws `Error` otherwise. */
export function validateLatency(value: unknown): LatencySpec {
  if (typeof value === 'string') return parseLatency(value);
  const spec = value as Partial<Record<string, unknown>> | null;
  const nonNegative = (key: string): number => {
    const n = spec?.[key];
    if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) {
      throw new Error(`latency.${key} must be a non-negative number of milliseconds, got ${JSON.stringify(n)}`);
    }
    return n;
  };
  switch (spec?.kind) {
    case 'fixed':
      return { kind: 'fixed', ms: nonNegative('ms') };
    case 'uniform': {
      const minMs = nonNegative('minMs');
      const maxMs = nonNegative('maxMs');
      if (maxMs < minMs) throw new Error('latency.maxMs must not be below latency.minMs');
      return { kind: 'uniform', minMs, maxMs };
    }
    case 'normal':
      return { kind: 'normal', meanMs: nonNegative('meanMs'), stdDevMs: nonNegative('stdDevMs') };
    case 'exponential':
      return { kind: 'exponential', meanMs: nonNegative('meanMs') };
    default:
      throw new Error(
        `latency must be a string like "200ms" or an object with kind fixed|uniform|normal|exponential, got ${JSON.stringify(value)}`,
      );
  }
}

/** Draws one delay (ms, never negative) from a latency spec. `random` is injectable for tests. */
export function sampleLatency(spec: LatencySpec, random: () => number = Math.random): number {
  switch (spec.kind) {
    case 'fixed':
      return spec.ms;
    case 'uniform':
      return spec.minMs + random() * (spec.maxMs - spec.minMs);
    case 'normal': {
      // Box–Muller transform; 1 - u keeps the logarithm finite.
      const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
      return Math.max(0, spec.meanMs + z * spec.stdDevMs);
    }
    case 'exponential':
      return -Math.log(1 - random()) * spec.meanMs;
  }
}

/** Short human form of a latency spec, e.g. `100ms-400ms`. */
export function formatLatency(spec: LatencySpec): string {
  switch (spec.kind) {
    case 'fixed':
      return `${spec.ms}ms`;
    case 'uniform':
      return `${spec.minMs}ms-${spec.maxMs}ms`;
    case 'normal':
      return `normal:${spec.meanMs}ms,${spec.stdDevMs}ms`;
    case 'exponential':
      return `exp:${spec.meanMs}ms`;
  }
}
