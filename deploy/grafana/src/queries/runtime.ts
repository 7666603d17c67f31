/**
 * USE of the Node.js process per instance (prom-client's default metrics and the package's
 * event-loop utilization), and of each application resource tracked with `telemetry.resource()`.
 */
import { LABEL, METRIC } from '@periscope/instrument/contract';
import { PROM_LABEL, VARIABLE, inService, isVar, orZero, rate, sel, sumBy } from './promql.ts';

/** prom-client's default metrics used here (they are not part of the package's METRIC). */
export const PROM_CLIENT = Object.freeze({
  cpu: 'process_cpu_seconds_total',
  residentMemory: 'process_resident_memory_bytes',
  openFds: 'process_open_fds',
  maxFds: 'process_max_fds',
  lagP99: 'nodejs_eventloop_lag_p99_seconds',
  heapUsed: 'nodejs_heap_size_used_bytes',
  heapTotal: 'nodejs_heap_size_total_bytes',
  externalMemory: 'nodejs_external_memory_bytes',
  gcDuration: 'nodejs_gc_duration_seconds',
  activeHandles: 'nodejs_active_handles',
  activeRequests: 'nodejs_active_requests',
} as const);

/** The selected service's selected instances. */
function scope(): string[] {
  return [inService(), isVar(PROM_LABEL.instance, VARIABLE.instance)];
}

/** Share of time the event loop was busy (0–1), per instance. */
export function eventLoopUtilization(): string {
  return sel(METRIC.eventLoopUtilization, ...scope());
}

/** p99 event-loop lag (seconds), per instance. */
export function eventLoopLagP99(): string {
  return sel(PROM_CLIENT.lagP99, ...scope());
}

/** CPU seconds per second (1 = one core busy), per instance. */
export function cpu(): string {
  return rate(sel(PROM_CLIENT.cpu, ...scope()));
}

/** Resident set size (bytes), per instance. */
export function residentMemory(): string {
  return sel(PROM_CLIENT.residentMemory, ...scope());
}

/** V8 heap used (bytes), per instance. */
export function heapUsed(): string {
  return sel(PROM_CLIENT.heapUsed, ...scope());
}

/** V8 heap size (bytes), per instance. */
export function heapTotal(): string {
  return sel(PROM_CLIENT.heapTotal, ...scope());
}

/** Share of each second spent in garbage collection, per instance and GC kind. */
export function gcTimeRatio(): string {
  return sumBy([PROM_LABEL.instance, 'kind'], rate(sel(`${PROM_CLIENT.gcDuration}_sum`, ...scope())));
}

/** Garbage collections per second, per instance and kind. */
export function gcRate(): string {
  return sumBy([PROM_LABEL.instance, 'kind'], rate(sel(`${PROM_CLIENT.gcDuration}_count`, ...scope())));
}

/** Active libuv handles (sockets, timers, servers), per instance. */
export function activeHandles(): string {
  return sumBy([PROM_LABEL.instance], sel(PROM_CLIENT.activeHandles, ...scope()));
}

/** Open file descriptors, per instance. */
export function openFds(): string {
  return sel(PROM_CLIENT.openFds, ...scope());
}

/** Share of the file descriptor limit in use, per instance. */
export function fdUtilization(): string {
  return `${openFds()} / (${sel(PROM_CLIENT.maxFds, ...scope())} > 0)`;
}

/** Share of each resource's capacity in use, per instance and resource. */
export function resourceUtilization(): string {
  return `${sel(METRIC.resourceInUse, ...scope())} / (${sel(METRIC.resourceCapacity, ...scope())} > 0)`;
}

/** Callers waiting for each resource (saturation), per instance and resource. */
export function resourceWaiting(): string {
  return sel(METRIC.resourceWaiting, ...scope());
}

/** Errors per second of each resource, per instance and resource. */
export function resourceErrors(): string {
  return rate(sel(METRIC.resourceErrors, ...scope()));
}

/** Per second of the selected instances' `counter`, summed by `label`; 0, not empty, when nothing was counted. */
function droppedPerSecond(counter: string, label: string): string {
  return orZero(sumBy([label], rate(sel(counter, ...scope()))));
}

/** Log lines per second that stdout or the log file dropped because it could not keep up, by destination (0 when none were). */
export function logLinesDropped(): string {
  return droppedPerSecond(METRIC.logDropped, LABEL.destination);
}

/** Records per second the syslog shipper dropped, by reason (0 when none were, or shipping is off). */
export function syslogDropped(): string {
  return droppedPerSecond(METRIC.syslogDropped, LABEL.reason);
}

/** Finished spans per second dropped before export, by reason (0 when none were). */
export function spansDropped(): string {
  return droppedPerSecond(METRIC.spansDropped, LABEL.reason);
}

/** Incoming trace context dropped as invalid per second, by header (0 when none was). */
export function propagationDropped(): string {
  return droppedPerSecond(METRIC.propagationDropped, LABEL.header);
}

/** Label sets dropped by the cardinality guard per second, by metric (0 when none were). */
export function metricOverflow(): string {
  return droppedPerSecond(METRIC.metricOverflow, LABEL.metric);
}
