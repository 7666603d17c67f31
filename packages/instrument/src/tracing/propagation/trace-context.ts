/**
 * W3C Trace Context (Level 1, with Level 2's `random` flag passed through and its `tracestate` key
 * grammar): the `traceparent` and `tracestate` headers, parsed exactly as the spec says rather than
 * leniently.
 *
 * - `traceparent = version "-" trace-id "-" parent-id "-" trace-flags`, lowercase hex only.
 *   Version `ff` is invalid; version `00` has exactly these four fields. A higher version is parsed
 *   by its first four fields when what follows them is nothing or starts with "-" (the spec's
 *   versioning rules). An all-zero trace-id or parent-id is invalid. Leading and trailing OWS is
 *   ignored. An invalid `traceparent` is ignored (the request starts a new trace), and then
 *   `tracestate` is not parsed at all.
 * - `tracestate`: see tracestate.ts (invalid as a whole → discarded; else passed on unchanged).
 * - A `traceparent` or `tracestate` dropped as invalid is counted (dropped.ts).
 * - Sending: always version `00`; of the flags only `sampled` and (Level 2) `random`. A trace
 *   continued from a caller keeps the caller's `random` flag, as Level 2 requires of a participant
 *   that keeps the incoming trace-id.
 *
 * Nothing here throws into a request: a malformed header is just not used.
 */
import { TraceFlags, createContextKey, isSpanContextValid, trace } from '@opentelemetry/api';
import type { Context, SpanContext, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import { HEADER } from '../../core/names.js';
import { isSampled } from '../../core/trace-flags.js';
import { INVALID_TRACESTATE, readTracestate, trimOws } from './tracestate.js';
import { countDropped } from './dropped.js';

export const TRACEPARENT = HEADER.traceparent;
export const TRACESTATE = HEADER.tracestate;

/** Level 2's random-trace-id flag (bit 1 of trace-flags); the API names only `SAMPLED`. */
export const RANDOM_FLAG = 0x02;

/** The caller's trace-id and whether it carried the random flag, kept so the flag is forwarded. */
const INBOUND_RANDOM = createContextKey('periscope.inbound-random-trace-id');

const HEX = /^[0-9a-f]+$/;
const ZEROS = /^0+$/;

/** The fields of a valid `traceparent`. */
export interface Traceparent {
  readonly version: string;
  readonly traceId: string;
  readonly parentId: string;
  readonly traceFlags: number;
}

const hexField = (s: string, length: number) => s.length === length && HEX.test(s);

/** Parses one `traceparent` value; `undefined` when it is not valid by the rules in the module comment. */
export function parseTraceparent(raw: string): Traceparent | undefined {
  const v = trimOws(raw);
  // 2 + 1 + 32 + 1 + 16 + 1 + 2 = 55: anything shorter cannot hold the four fields.
  if (v.length < 55) return undefined;
  const version = v.slice(0, 2);
  if (!hexField(version, 2) || version === 'ff' || v[2] !== '-') return undefined;
  if (version === '00' ? v.length !== 55 : v.length > 55 && v[55] !== '-') return undefined;
  const traceId = v.slice(3, 35);
  const parentId = v.slice(36, 52);
  const flags = v.slice(53, 55);
  if (v[35] !== '-' || v[52] !== '-') return undefined;
  if (!hexField(traceId, 32) || !hexField(parentId, 16) || !hexField(flags, 2)) return undefined;
  if (ZEROS.test(traceId) || ZEROS.test(parentId)) return undefined;
  return { version, traceId, parentId, traceFlags: parseInt(flags, 16) };
}

/** The `traceparent` value this service sends for `sc` (version 00, only the known flags). */
export function formatTraceparent(sc: SpanContext, random: boolean): string {
  const flags = (isSampled(sc) ? TraceFlags.SAMPLED : 0) | (random ? RANDOM_FLAG : 0);
  return `00-${sc.traceId}-${sc.spanId}-0${flags.toString(16)}`;
}

/** W3C Trace Context as a TextMapPropagator (see the module comment). */
export class TraceContextPropagator implements TextMapPropagator {
  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const sc = trace.getSpanContext(context);
    if (!sc || !isSpanContextValid(sc) || isTracingSuppressed(context)) return;
    const inbound = context.getValue(INBOUND_RANDOM) as string | undefined;
    const random = (sc.traceFlags & RANDOM_FLAG) === RANDOM_FLAG || inbound === sc.traceId;
    setter.set(carrier, TRACEPARENT, formatTraceparent(sc, random));
    const state = sc.traceState?.serialize();
    if (state) setter.set(carrier, TRACESTATE, state);
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const header = getter.get(carrier, TRACEPARENT);
    if (header === undefined) return context;
    // Two traceparent fields cannot be combined into one valid value.
    const value = Array.isArray(header) ? (header.length === 1 ? header[0] : undefined) : header;
    const parsed = typeof value === 'string' ? parseTraceparent(value) : undefined;
    if (parsed === undefined) {
      countDropped(TRACEPARENT);
      return context;
    }
    let traceState = readTracestate(getter.get(carrier, TRACESTATE));
    if (traceState === INVALID_TRACESTATE) {
      countDropped(TRACESTATE);
      traceState = undefined;
    }
    const random = (parsed.traceFlags & RANDOM_FLAG) === RANDOM_FLAG;
    const sc: SpanContext = {
      traceId: parsed.traceId,
      spanId: parsed.parentId,
      traceFlags: parsed.traceFlags & (TraceFlags.SAMPLED | RANDOM_FLAG),
      isRemote: true,
      ...(traceState ? { traceState } : {}),
    };
    const withSpan = trace.setSpanContext(context, sc);
    return random ? withSpan.setValue(INBOUND_RANDOM, parsed.traceId) : withSpan;
  }

  fields(): string[] {
    return [TRACEPARENT, TRACESTATE];
  }
}
