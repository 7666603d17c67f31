/**
 * "Is this span sampled": one rule for every place that asks (exemplars on the duration
 * histograms, the span processors). The sampled flag is bit 0 of W3C `trace-flags`; other bits
 * (Level 2's `random`, future ones) do not change the answer.
 */
import { TraceFlags } from '@opentelemetry/api';

/** True when the sampled bit of `spanContext.traceFlags` is set. */
export function isSampled(spanContext: { readonly traceFlags: number }): boolean {
  return (spanContext.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED;
}
