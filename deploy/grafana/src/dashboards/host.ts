/**
 * Host (USE), after the node-mixin's "USE Method / Node": for CPU, memory, network, disk IO and
 * filesystems, the utilization on the left and the saturation (and errors) on the right.
 */
import { DashboardBuilder } from '../adapter/dashboard.ts';
import { GaugePanel, TimeseriesPanel, thresholds } from '../adapter/panels.ts';
import { prom } from '../adapter/targets.ts';
import type { DashboardJson } from '../adapter/types.ts';
import { queryVariable } from '../adapter/variables.ts';
import * as q from '../queries/host.ts';
import { VARIABLE } from '../queries/promql.ts';
import { COLOR, TAGS, UID, UNIT, linkOthers } from './common.ts';

const UTILIZATION = thresholds(COLOR.ok, [COLOR.warn, 0.7], [COLOR.bad, 0.9]);

function now() {
  const gauge = { width: 8, height: 5, min: 0, max: 1, thresholds: UTILIZATION, unit: UNIT.ratio } as const;
  return [
    new GaugePanel({ ...gauge, title: 'CPU utilization now', description: 'Busy share of all CPUs.', targets: [prom(q.cpuUtilization(), { instant: true, legend: 'cpu' })] }),
    new GaugePanel({ ...gauge, title: 'Memory utilization now', description: 'Share of memory not available without swapping.', targets: [prom(q.memoryUtilization(), { instant: true, legend: 'memory' })] }),
    new GaugePanel({ ...gauge, title: 'Fullest filesystem now', description: 'Share used of the fullest real filesystem.', targets: [prom(`max(${q.filesystemUtilization()})`, { instant: true, legend: 'filesystem' })] }),
  ];
}

function cpu() {
  return [
    new TimeseriesPanel({ title: 'CPU utilization', description: 'Busy share of all CPUs (idle, iowait and steal count as not busy).', unit: UNIT.ratio, max: 1, thresholds: UTILIZATION, targets: [prom(q.cpuUtilization(), { legend: 'utilization' })] }),
    new TimeseriesPanel({ title: 'CPU saturation (load per CPU)', description: '1-minute load average per CPU; above 1, runnable threads wait for a CPU.', unit: UNIT.count, thresholds: thresholds(COLOR.ok, [COLOR.bad, 1]), targets: [prom(q.cpuSaturation(), { legend: 'load1 per CPU' })] }),
  ];
}

function memory() {
  return [
    new TimeseriesPanel({ title: 'Memory utilization', description: 'Share of memory not available to new allocations without swapping.', unit: UNIT.ratio, max: 1, thresholds: UTILIZATION, targets: [prom(q.memoryUtilization(), { legend: 'utilization' })] }),
    new TimeseriesPanel({ title: 'Memory saturation (major page faults)', description: 'Major page faults per second: pages read back from disk because memory ran short.', unit: UNIT.perSecond, targets: [prom(q.memorySaturation(), { legend: 'major faults' })] }),
  ];
}

function network() {
  return [
    new TimeseriesPanel({ title: 'Network utilization', description: 'Bytes per second received and transmitted, by device (loopback excluded).', unit: UNIT.bytesPerSecond, width: 8, targets: [prom(q.networkBytes('receive'), { legend: '{{device}} received' }), prom(q.networkBytes('transmit'), { legend: '{{device}} transmitted' })] }),
    new TimeseriesPanel({ title: 'Network saturation (drops)', description: 'Packets dropped per second, by device and direction.', unit: UNIT.perSecond, width: 8, targets: [prom(q.networkDrops('receive'), { legend: '{{device}} receive' }), prom(q.networkDrops('transmit'), { legend: '{{device}} transmit' })] }),
    new TimeseriesPanel({ title: 'Network errors', description: 'Receive and transmit errors per second, by device.', unit: UNIT.perSecond, width: 8, targets: [prom(q.networkErrors('receive'), { legend: '{{device}} receive' }), prom(q.networkErrors('transmit'), { legend: '{{device}} transmit' })] }),
  ];
}

function disk() {
  return [
    new TimeseriesPanel({ title: 'Disk IO utilization', description: 'Share of time each disk was busy with IO.', unit: UNIT.ratio, max: 1, thresholds: UTILIZATION, targets: [prom(q.diskUtilization(), { legend: '{{device}}' })] }),
    new TimeseriesPanel({ title: 'Disk IO saturation', description: 'Weighted IO time per second: the average number of IOs queued or in flight per disk.', unit: UNIT.count, targets: [prom(q.diskSaturation(), { legend: '{{device}}' })] }),
  ];
}

function filesystems() {
  return [
    new TimeseriesPanel({ title: 'Filesystem utilization', description: 'Share used of each real filesystem (tmpfs and the like excluded).', unit: UNIT.ratio, max: 1, thresholds: UTILIZATION, targets: [prom(q.filesystemUtilization(), { legend: '{{mountpoint}}' })] }),
    new TimeseriesPanel({ title: 'Filesystem errors', description: 'Filesystems the exporter could not read (1 = error), by mount point.', unit: UNIT.count, thresholds: thresholds(COLOR.ok, [COLOR.bad, 1]), targets: [prom(q.filesystemErrors(), { legend: '{{mountpoint}}' })] }),
  ];
}

/** The host dashboard. */
export function host(): DashboardJson {
  const dashboard = new DashboardBuilder({
    uid: UID.host,
    title: 'Periscope / Host (USE)',
    description: 'USE method for a host from the node exporter: CPU, memory, network, disk IO, filesystems.',
    tags: [...TAGS, 'use', 'node-exporter'],
  })
    .variable(queryVariable(VARIABLE.node, q.hostsVariable(), { label: 'Host' }))
    .section({ panels: now() })
    .section({ title: 'CPU', panels: cpu() })
    .section({ title: 'Memory', panels: memory() })
    .section({ title: 'Network', panels: network() })
    .section({ title: 'Disk IO', panels: disk() })
    .section({ title: 'Filesystem', panels: filesystems() });
  return linkOthers(dashboard).toJson();
}
