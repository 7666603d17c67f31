/**
 * The exception tracker: fingerprints every captured error, counts it in
 * `periscope_exceptions_total{type}` and marks the first occurrence of each fingerprint in the
 * process, so a new kind of failure stands out in the logs.
 */
import { Counter } from 'prom-client';
import type { Registry } from 'prom-client';
import { serializeError } from '../logging/fields.js';
import type { SerializedError } from '../logging/fields.js';
import { LABEL, METRIC, OVERFLOW_VALUE } from '../core/names.js';
import { errorType } from '../core/error-type.js';
import { overflowPolicy } from '../metrics/overflow.js';
import type { OverflowPolicy } from '../metrics/overflow.js';
import { fingerprint } from './fingerprint.js';
import type { FingerprintOptions } from './fingerprint.js';

/** What the tracker knows about one captured error; the log line's `err` carries these fields. */
export interface CapturedException {
  /** See {@link fingerprint}. */
  readonly fingerprint: string;
  /** True for the first capture of this fingerprint in this process (or since it was forgotten). */
  readonly first_seen: boolean;
  /** The error type, as in `err.type` and the metric's `type` label. */
  readonly type: string;
}

/** Options of {@link createExceptionTracker}. */
export interface ExceptionTrackerOptions extends FingerprintOptions {
  /** Fingerprints remembered for `first_seen`; past it the least recently seen is forgotten. Default 10 000. */
  readonly maxFingerprints?: number;
  /** Distinct `type` label values; past it, errors count under `type="overflow"`. Default 100. */
  readonly maxTypes?: number;
  /** The cardinality guard; default: the registry's own, counted in `periscope_metric_overflow_total`. */
  readonly overflow?: OverflowPolicy;
}

/** Fingerprints, counts and marks captured errors. */
export interface ExceptionTracker {
  /**
   * Captures one error. Capturing the same error object again (logged by a handler, then thrown
   * on) counts it once and returns `first_seen: false`.
   */
  capture(err: unknown): CapturedException;
}

export const DEFAULT_MAX_FINGERPRINTS = 10_000;
export const DEFAULT_MAX_TYPES = 100;

/**
 * Creates a tracker that counts on `registry`.
 * @example
 * const { fingerprint, first_seen } = tracker.capture(err);
 * logger.error({ err: { ...serializeError(err), fingerprint, first_seen } }, 'payment failed');
 */
export function createExceptionTracker(registry: Registry, options: ExceptionTrackerOptions = {}): ExceptionTracker {
  const maxFingerprints = options.maxFingerprints ?? DEFAULT_MAX_FINGERPRINTS;
  const maxTypes = options.maxTypes ?? DEFAULT_MAX_TYPES;
  const overflow = options.overflow ?? overflowPolicy(registry);
  const counter = new Counter({
    name: METRIC.exceptions,
    help: 'Unexpected errors captured by Periscope (handler errors without a 4xx status, unhandled rejections, uncaught exceptions), by error type.',
    labelNames: [LABEL.type],
    registers: [registry],
  });
  // Insertion order is recency order: a fingerprint seen again moves to the end.
  const seen = new Map<string, true>();
  const types = new Set<string>();
  const captured = new WeakMap<object, CapturedException>();

  const typeLabel = (type: string): string => {
    if (types.has(type)) return type;
    if (!overflow.admits(METRIC.exceptions, types.size, maxTypes)) return OVERFLOW_VALUE;
    types.add(type);
    return type;
  };

  return {
    capture(err) {
      const isObject = err !== null && (typeof err === 'object' || typeof err === 'function');
      const before = isObject ? captured.get(err as object) : undefined;
      if (before !== undefined) return { ...before, first_seen: false };

      const type = errorType(err);
      const fp = fingerprint(err, options);
      const firstSeen = !seen.has(fp);
      seen.delete(fp);
      seen.set(fp, true);
      if (seen.size > maxFingerprints) seen.delete(seen.keys().next().value!);
      counter.inc({ [LABEL.type]: typeLabel(type) });

      const result: CapturedException = { fingerprint: fp, first_seen: firstSeen, type };
      if (isObject) captured.set(err as object, result);
      return result;
    },
  };
}

/** A captured error in the contract's log shape: `{ type, message, stack, code?, fingerprint, first_seen }`. */
export interface FingerprintedError extends SerializedError {
  fingerprint: string;
  first_seen: boolean;
}

/** The `err` field of a log line for a captured error. */
export function fingerprintedError(err: unknown, captured: CapturedException): FingerprintedError {
  return { ...serializeError(err), fingerprint: captured.fingerprint, first_seen: captured.first_seen };
}
