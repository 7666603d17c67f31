/**
 * The propagator Periscope uses everywhere (server spans, outbound calls, and the global one when
 * Periscope owns the pipeline): W3C Trace Context and W3C Baggage, spec-exact. They replace
 * OpenTelemetry's W3C propagators, which repair an invalid `tracestate` instead of discarding it
 * and drop Level 2's `random` flag; a wrapper with a validating pre-step would have had to
 * re-parse every header anyway, so these are small stand-alone implementations.
 */
import { CompositePropagator } from '@opentelemetry/core';
import { BaggagePropagator } from './baggage.js';
import { TraceContextPropagator } from './trace-context.js';

export { BaggagePropagator } from './baggage.js';
export { TRACEPARENT, TraceContextPropagator, parseTraceparent } from './trace-context.js';
export { parseTracestate } from './tracestate.js';

/** W3C Trace Context, then W3C Baggage. */
export const PROPAGATOR = new CompositePropagator({ propagators: [new TraceContextPropagator(), new BaggagePropagator()] });
