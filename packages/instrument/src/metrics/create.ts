/**
 * The metrics of one instrumented app: its own prom-client registry with the RED instruments,
 * runtime (USE) metrics, build info, the cardinality guard and the application resources.
 */
import { Registry } from 'prom-client';
import type { ResolvedOptions } from '../options.js';
import { overflowPolicy } from './overflow.js';
import type { OverflowPolicy } from './overflow.js';
import { createRedMetrics } from './red.js';
import type { RedMetrics } from './red.js';
import { createResourceRegistry } from './resources.js';
import type { ResourceRegistry } from './resources.js';
import { registerBuildInfo, registerDefaultMetrics, registerEventLoopUtilization } from './runtime.js';

/** The registry and the instruments other signals record into. */
export interface Metrics {
  readonly registry: Registry;
  readonly red: RedMetrics;
  readonly resources: ResourceRegistry;
  readonly overflow: OverflowPolicy;
}

/** Creates the registry and registers every metric the contract names for a service. */
export function createMetrics(opts: ResolvedOptions): Metrics {
  const registry = new Registry();
  const overflow = overflowPolicy(registry);
  const red = createRedMetrics(registry, opts.maxLabelSets, overflow);
  if (opts.defaultMetrics) registerDefaultMetrics(registry);
  registerEventLoopUtilization(registry);
  registerBuildInfo(registry, opts);
  return { registry, red, resources: createResourceRegistry(registry), overflow };
}
