/**
 * The clock of Periscope's spans. Given no start time, OpenTelemetry's SDK starts a span at
 * `Date.now()` — a whole millisecond — and ends it that instant plus a high-resolution duration,
 * so a parent and its child are each off by a different fraction of a millisecond: a child could
 * end after its parent. Periscope instead gives every server and client span its start and end
 * from one monotonic clock, `process.hrtime.bigint()`, which the request path reads anyway (the
 * request's start, a call's start and end for the duration metrics): no extra clock read for a
 * start, and nanosecond order between spans of one process.
 *
 * The readings become epoch times through one anchor taken when this module loads:
 * `performance.timeOrigin + performance.now()`, the same base OpenTelemetry's `hrTime()` uses,
 * read next to an hrtime reading. Like `hrTime()`, span times then follow the monotonic clock, not
 * later steps of the wall clock.
 */
import type { HrTime } from '@opentelemetry/api';

const NS_PER_S = 1_000_000_000;

/** An hrtime reading and the epoch time it stands for (whole seconds, nanoseconds). */
const ANCHOR = process.hrtime.bigint();
const ANCHOR_EPOCH_MS = performance.timeOrigin + performance.now();
const ANCHOR_S = Math.floor(ANCHOR_EPOCH_MS / 1000);
const ANCHOR_NS = Math.round((ANCHOR_EPOCH_MS - ANCHOR_S * 1000) * 1e6);

/**
 * The epoch time of a `process.hrtime.bigint()` reading, as the SDK's `HrTime`. Monotone: a later
 * reading never gives an earlier time.
 */
export function spanTime(reading: bigint): HrTime {
  const ns = ANCHOR_NS + Number(reading - ANCHOR);
  const s = Math.floor(ns / NS_PER_S);
  return [ANCHOR_S + s, ns - s * NS_PER_S];
}

/** Now, on the spans' clock. */
export function spanTimeNow(): HrTime {
  return spanTime(process.hrtime.bigint());
}
