/**
 * The request and trace fields every log line written inside a request carries, and the error
 * shape of the contract (`err: { type, message, stack }`).
 */
import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import { currentRequest } from '../core/context.js';
import { errorType } from '../core/error-type.js';
import type { TraceFields } from '../internal-types.js';

/** Trace fields of a span context, as log keys (the keys OpenTelemetry's pino instrumentation uses). */
export function traceFieldsOf(spanContext: { traceId: string; spanId: string; traceFlags: number }): TraceFields {
  return {
    trace_id: spanContext.traceId,
    span_id: spanContext.spanId,
    trace_flags: `0${(spanContext.traceFlags & 0xff).toString(16)}`.slice(-2),
  };
}

function activeTraceFields(): TraceFields | undefined {
  const span = trace.getSpan(context.active());
  if (span === undefined) return undefined;
  const sc = span.spanContext();
  return isSpanContextValid(sc) ? traceFieldsOf(sc) : undefined;
}

/**
 * Fields for the line being written: `request_id` inside a request, and the active span's
 * `trace_id`/`span_id`/`trace_flags` when one is valid. A new object each call (pino merges into it);
 * empty outside a request and span.
 */
export function requestLogFields(): Record<string, string> {
  const state = currentRequest();
  const t = activeTraceFields() ?? state?.trace;
  if (state === undefined) return t ? { ...t } : {};
  return t ? { request_id: state.id, ...t } : { request_id: state.id };
}

/** The contract's error shape. Only these keys (and a string or number `code`) are logged. */
export interface SerializedError {
  type: string;
  message: string;
  stack?: string;
  code?: string | number;
  /** Stable identity of the bug (type and top application frames, hashed). */
  fingerprint?: string;
  /** True on the first occurrence of the fingerprint in this process. */
  first_seen?: boolean;
}

const SERIALIZED_KEYS = new Set(['type', 'message', 'stack', 'code', 'fingerprint', 'first_seen', 'origin']);

function isSerialized(err: unknown): err is SerializedError {
  if (err === null || typeof err !== 'object' || err instanceof Error) return false;
  const e = err as Record<string, unknown>;
  return typeof e.type === 'string' && typeof e.message === 'string' && Object.keys(e).every((k) => SERIALIZED_KEYS.has(k));
}

/** Serializes anything thrown into `{ type, message, stack }`. */
export function serializeError(err: unknown): SerializedError {
  if (isSerialized(err)) return err;
  if (err instanceof Error) {
    const out: SerializedError = {
      type: errorType(err),
      message: err.message,
    };
    if (typeof err.stack === 'string') out.stack = err.stack;
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' || typeof code === 'number') out.code = code;
    return out;
  }
  if (err !== null && typeof err === 'object') {
    let message: string;
    try {
      message = JSON.stringify(err);
    } catch {
      message = Object.prototype.toString.call(err);
    }
    return { type: errorType(err), message };
  }
  return { type: errorType(err), message: String(err) };
}
