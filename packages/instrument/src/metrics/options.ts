/** The metrics room's options, checked once when `instrument()` is called: where `/metrics` is served, the label-set cap, the default metrics. */
import { ENV } from '../core/names.js';
import { boolean, integer, nonEmptyString } from '../core/options.js';
import type { OptionInput } from '../core/options.js';

export interface MetricsOptions {
  readonly metricsPort: number | undefined;
  readonly metricsHost: string;
  readonly maxLabelSets: number;
  readonly defaultMetrics: boolean;
}

/** Frozen defaults; the environment and the caller's options override them. */
export const METRICS_DEFAULTS = Object.freeze({
  metricsHost: '0.0.0.0',
  maxLabelSets: 2000,
  defaultMetrics: true,
});

export function resolveMetricsOptions({ options: o, env, check }: OptionInput): MetricsOptions {
  return {
    defaultMetrics: check(() => boolean('defaultMetrics', o.defaultMetrics, METRICS_DEFAULTS.defaultMetrics), METRICS_DEFAULTS.defaultMetrics),
    metricsPort:
      check(() => integer('metricsPort', o.metricsPort, 0, 65535), undefined) ??
      (o.metricsPort === undefined ? env.integer(ENV.metricsPort, 0, 65535, "the app's own port for /metrics (no separate metrics server)") : undefined),
    metricsHost: check(() => nonEmptyString('metricsHost', o.metricsHost), undefined) ?? METRICS_DEFAULTS.metricsHost,
    maxLabelSets: check(() => integer('maxLabelSets', o.maxLabelSets, 1, 1_000_000), undefined) ?? METRICS_DEFAULTS.maxLabelSets,
  };
}
