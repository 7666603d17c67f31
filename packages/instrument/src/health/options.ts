/** The health room's option, checked once when `instrument()` is called: how long a readiness check may take. */
import { integer } from '../core/options.js';
import type { OptionInput } from '../core/options.js';

export interface HealthOptions {
  readonly readinessTimeoutMs: number;
}

export const HEALTH_DEFAULTS = Object.freeze({ readinessTimeoutMs: 2000 });

export function resolveHealthOptions({ options: o, check }: OptionInput): HealthOptions {
  return {
    readinessTimeoutMs: check(() => integer('readinessTimeoutMs', o.readinessTimeoutMs, 1, 600_000), undefined) ?? HEALTH_DEFAULTS.readinessTimeoutMs,
  };
}
