/**
 * The clock of Periscope's spans. Given no start time, OpenTelemetry's SDK starts a span at
 * `Date.now()` — a whole millisecond — and ends it that instant plus a high-resolution duration,
 * so a parent and its child are each off by a different fraction of a millisecond: a child could
 * end after its parent. Periscope instead gives every server and client span its start and end
 * from one monotonic clock, `process.hrtime.bigint()`, which the request path reads anyway (the
 * request's start, a call's start and end for the duration metrics): no extra clock read for a
 * start, and nanosecond order between spans of one process.
 *
 * The readings become epoch times through one anchor taken when this module loads: the wall
 * clock's millisecond read the instant it ticks over, next to an hrtime reading. Span times then
 * follow the monotonic clock, not later steps of the wall clock.
 *
 * Why not `performance.timeOrigin + performance.now()`, the base OpenTelemetry's `hrTime()` uses:
 * each process fixes its time origin once at start, and on a busy machine that origin is off the
 * wall clock by a different amount in each process — measured here up to 20 ms apart between
 * processes started together — so a service's span and its caller's could be shifted against each
 * other by that much, and a child be drawn outside its parent. The tick of `Date.now()` is the
 * same instant for every process; the largest of a few (wall − hrtime) differences, each read
 * right after a tick, is the one least delayed by the scheduler (processes then agree within a
 * few microseconds). It costs a busy wait of at most a few milliseconds, once, at load.
 */
import type { HrTime } from '@opentelemetry/api';

const NS_PER_S = 1_000_000_000;
const ANCHOR_SAMPLES = 5;

/** The epoch milliseconds of hrtime 0, from readings taken right after the wall clock ticks. */
function epochMsAtHrtimeZero(): number {
  let best = -Infinity;
  for (let i = 0; i < ANCHOR_SAMPLES; i++) {
    const before = Date.now();
    let tick: number;
    while ((tick = Date.now()) === before);
    const reading = process.hrtime.bigint();
    best = Math.max(best, tick - Number(reading) / 1e6);
  }
  return best;
}

/** An hrtime reading and the epoch time it stands for (whole seconds, nanoseconds). */
const ANCHOR = process.hrtime.bigint();
const ANCHOR_EPOCH_MS = epochMsAtHrtimeZero() + Number(ANCHOR) / 1e6;
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
