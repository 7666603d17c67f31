/**
 * Durations and latency distributions as people type them: `200ms`, `1.5s`, `100ms-400ms`,
 * `normal:200ms,50ms`, `exp:150ms`. Used by the admin endpoints, the fault CLI and loadgen.
 */

const UNIT_MS: Readonly<Record<string, number>> = Object.freeze({ ms: 1, s: 1000, m: 60_000 });

/** Parses `250ms`, `1.5s`, `2m` or a bare number of milliseconds; throws `Error` otherwise. */
export function parseDuration(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/.exec(text);
  if (!match) throw new Error(`"${text}" is not a duration: expected e.g. 200ms, 1.5s or 2m`);
  return Number(match[1]) * UNIT_MS[match[2] ?? 'ms']!;
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
export function parseLatency(text: string): LatencySpec {
  const spec = text.trim();
  if (spec.startsWith('normal:')) {
    const [mean, stdDev, extra] = spec.slice('normal:'.length).split(',');
    if (mean === undefined || stdDev === undefined || extra !== undefined) {
      throw new Error(`"${text}" is not a normal latency: expected normal:<mean>,<std dev>, e.g. normal:200ms,50ms`);
    }
    return { kind: 'normal', meanMs: parseDuration(mean), stdDevMs: parseDuration(stdDev) };
  }
  if (spec.startsWith('exp:')) return { kind: 'exponential', meanMs: parseDuration(spec.slice('exp:'.length)) };
  const range = /^(.+?)-(.+)$/.exec(spec);
  if (range) {
    const minMs = parseDuration(range[1]!);
    const maxMs = parseDuration(range[2]!);
    if (maxMs < minMs) throw new Error(`"${text}" is not a range: the upper bound is below the lower one`);
    return { kind: 'uniform', minMs, maxMs };
  }
  return { kind: 'fixed', ms: parseDuration(spec) };
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
