/**
 * Node.js runtime (USE): is a process, or a resource inside it, the bottleneck? Per instance:
 * event-loop utilization and lag, CPU, memory, heap and GC, handles and file descriptors; per
 * application resource: utilization, waiting callers and errors.
 */
import { DashboardBuilder } from '../adapter/dashboard.ts';
import { TimeseriesPanel, thresholds } from '../adapter/panels.ts';
import { prom } from '../adapter/targets.ts';
import type { DashboardJson } from '../adapter/types.ts';
import { queryVariable } from '../adapter/variables.ts';
import { PROM_LABEL, VARIABLE, inService, sel } from '../queries/promql.ts';
import * as q from '../queries/runtime.ts';
import { COLOR, TAGS, UID, UNIT, deployAnnotation, linkOthers, serviceVariable } from './common.ts';

const PER_INSTANCE = '{{instance}}';
const PER_RESOURCE = '{{instance}} {{resource}}';
const UTILIZATION = thresholds(COLOR.ok, [COLOR.warn, 0.7], [COLOR.bad, 0.9]);

function eventLoop() {
  return [
    new TimeseriesPanel({ title: 'Event-loop utilization', description: 'Share of time the event loop was busy: the main utilization signal of a Node process. Near 1, requests queue behind each other.', unit: UNIT.ratio, max: 1, thresholds: UTILIZATION, targets: [prom(q.eventLoopUtilization(), { legend: PER_INSTANCE })] }),
    new TimeseriesPanel({ title: 'Event-loop lag p99', description: '99th percentile delay of a timer on the event loop (saturation): time every request waits before running.', unit: UNIT.seconds, thresholds: thresholds(COLOR.ok, [COLOR.warn, 0.05], [COLOR.bad, 0.2]), targets: [prom(q.eventLoopLagP99(), { legend: PER_INSTANCE })] }),
  ];
}

function cpuAndMemory() {
  return [
    new TimeseriesPanel({ title: 'CPU', description: 'CPU time used per second (100 % = one core). The event loop runs on one core, so near 100 % it is saturated.', unit: UNIT.ratio, width: 8, targets: [prom(q.cpu(), { legend: PER_INSTANCE })] }),
    new TimeseriesPanel({ title: 'Resident memory', description: 'Memory the process holds in RAM. Steady growth under steady load is a leak.', unit: UNIT.bytes, width: 8, targets: [prom(q.residentMemory(), { legend: PER_INSTANCE })] }),
    new TimeseriesPanel({ title: 'Heap used / size', description: 'V8 heap in use and its current size. Used close to size means frequent, longer GCs.', unit: UNIT.bytes, width: 8, targets: [prom(q.heapUsed(), { legend: `${PER_INSTANCE} used` }), prom(q.heapTotal(), { legend: `${PER_INSTANCE} size` })] }),
    new TimeseriesPanel({ title: 'Time in GC', description: 'Share of each second spent in garbage collection, by kind; the event loop is paused meanwhile.', unit: UNIT.ratio, targets: [prom(q.gcTimeRatio(), { legend: '{{instance}} {{kind}}' })] }),
    new TimeseriesPanel({ title: 'GC runs', description: 'Garbage collections per second, by kind.', unit: UNIT.perSecond, targets: [prom(q.gcRate(), { legend: '{{instance}} {{kind}}' })] }),
  ];
}

function handles() {
  return [
    new TimeseriesPanel({ title: 'Active handles', description: 'Open libuv handles: sockets, servers, timers. Growth without more traffic is a handle leak.', unit: UNIT.count, width: 8, targets: [prom(q.activeHandles(), { legend: PER_INSTANCE })] }),
    new TimeseriesPanel({ title: 'Open file descriptors', description: 'File descriptors the process holds (sockets included).', unit: UNIT.count, width: 8, targets: [prom(q.openFds(), { legend: PER_INSTANCE })] }),
    new TimeseriesPanel({ title: 'File descriptor utilization', description: 'Share of the process\'s file descriptor limit in use; at 100 % new connections fail (EMFILE).', unit: UNIT.ratio, width: 8, max: 1, thresholds: UTILIZATION, targets: [prom(q.fdUtilization(), { legend: PER_INSTANCE })] }),
  ];
}

function resources() {
  return [
    new TimeseriesPanel({ title: 'Resource utilization', description: 'Share of each application resource (pool, queue, worker set) in use.', unit: UNIT.ratio, width: 8, max: 1, thresholds: UTILIZATION, targets: [prom(q.resourceUtilization(), { legend: PER_RESOURCE })] }),
    new TimeseriesPanel({ title: 'Resource waiting callers', description: 'Callers waiting for a free unit of each resource (saturation).', unit: UNIT.count, width: 8, targets: [prom(q.resourceWaiting(), { legend: PER_RESOURCE })] }),
    new TimeseriesPanel({ title: 'Resource errors', description: 'Errors per second of each resource (a failed query, a rejected job).', unit: UNIT.perSecond, width: 8, targets: [prom(q.resourceErrors(), { legend: PER_RESOURCE })] }),
    new TimeseriesPanel({ title: 'Metric label sets dropped', description: 'Label sets per second the cardinality guard sent to the overflow series, by metric; above 0, a label has too many values.', unit: UNIT.perSecond, width: 12, height: 6, targets: [prom(q.metricOverflow(), { legend: '{{metric}}' })] }),
    new TimeseriesPanel({
      title: 'Telemetry dropped',
      description: 'Log lines, syslog records and spans per second the package dropped instead of holding them without bound: a destination that cannot keep up, a collector or trace backend that is down. Above 0, that output is incomplete; the label says why. Trace context: incoming traceparent/tracestate headers and baggage members dropped as invalid; above 0, a caller sends context this service cannot continue.',
      unit: UNIT.perSecond,
      width: 12,
      height: 6,
      targets: [
        prom(q.logLinesDropped(), { legend: 'log lines {{destination}}' }),
        prom(q.syslogDropped(), { legend: 'syslog {{reason}}' }),
        prom(q.spansDropped(), { legend: 'spans {{reason}}' }),
        prom(q.propagationDropped(), { legend: 'trace context {{header}}' }),
      ],
    }),
  ];
}

/** The Node.js runtime dashboard. */
export function nodejsRuntime(): DashboardJson {
  const instances = `label_values(${sel('up', inService())}, ${PROM_LABEL.instance})`;
  const dashboard = new DashboardBuilder({
    uid: UID.runtime,
    title: 'Periscope / Node.js runtime (USE)',
    description: 'Utilization, saturation and errors of each Node.js process and of the application resources it tracks.',
    tags: [...TAGS, 'use', 'nodejs'],
  })
    .variable(serviceVariable())
    .variable(queryVariable(VARIABLE.instance, instances, { label: 'Instance', multi: true, includeAll: true }))
    .annotation(deployAnnotation())
    .section({ title: 'Event loop', panels: eventLoop() })
    .section({ title: 'CPU, memory and GC', panels: cpuAndMemory() })
    .section({ title: 'Handles and file descriptors', panels: handles() })
    .section({ title: 'Application resources', panels: resources() });
  return linkOthers(dashboard).toJson();
}
