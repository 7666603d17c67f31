/**
 * What the propagators dropped from incoming headers, counted for
 * `periscope_propagation_dropped_total{header}`: a `traceparent` or a `tracestate` that is invalid
 * as a whole (the request then starts a new trace, or continues the caller's without its state),
 * and each `baggage` member that is malformed or past the spec's limits. The request goes on
 * either way; the count is how an operator learns why a caller's trace or baggage did not arrive.
 *
 * The propagators are shared by every app in the process, so the tally is the process's; each
 * app's registry reports it.
 */
import { HEADER } from '../../core/names.js';

/** The headers whose values the propagators may drop. */
export type PropagationHeader = typeof HEADER.traceparent | typeof HEADER.tracestate | typeof HEADER.baggage;

/** Every header of {@link PropagationHeader}, in the order the metric lists them. */
export const PROPAGATION_HEADERS: readonly PropagationHeader[] = [HEADER.traceparent, HEADER.tracestate, HEADER.baggage];

const tally = Object.fromEntries(PROPAGATION_HEADERS.map((header) => [header, 0])) as Record<PropagationHeader, number>;

/** Counts `count` values of `header` dropped. */
export function countDropped(header: PropagationHeader, count = 1): void {
  tally[header] += count;
}

/** How many values of `header` were dropped since the process started. */
export function droppedSoFar(header: PropagationHeader): number {
  return tally[header];
}
