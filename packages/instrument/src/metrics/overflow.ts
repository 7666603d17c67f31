/**
 * The cardinality guard, one policy for every bounded label set (the duration histograms' label
 * sets, the exception types): past a metric's cap a new label set is turned away, its samples go
 * to the series whose every label is `overflow`, and `periscope_metric_overflow_total{metric}`
 * counts each sample turned away.
 */
import { Counter } from 'prom-client';
import type { Registry } from 'prom-client';
import { LABEL, METRIC } from '../core/names.js';

/** Decides whether a metric may hold one more label set, and counts the ones it may not. */
export interface OverflowPolicy {
  /**
   * True when a new label set fits beside the `held` ones under `max`; otherwise counts one
   * overflow for `metric` and returns false (the caller records the sample on its overflow series).
   */
  admits(metric: string, held: number, max: number): boolean;
}

/** The overflow policy of `registry`: every caller on one registry shares its one counter. */
export function overflowPolicy(registry: Registry): OverflowPolicy {
  const counter =
    (registry.getSingleMetric(METRIC.metricOverflow) as Counter<string> | undefined) ??
    new Counter({
      name: METRIC.metricOverflow,
      help: 'Label sets dropped by the cardinality guard; their samples went to the overflow series.',
      labelNames: [LABEL.metric],
      registers: [registry],
    });
  return {
    admits(metric, held, max) {
      if (held < max) return true;
      counter.inc({ [LABEL.metric]: metric });
      return false;
    },
  };
}
