/**
 * USE of a host from the node exporter, after the node-mixin's "USE Method / Node" dashboard:
 * for CPU, memory, network, disk and filesystem, the utilization, the saturation and the errors.
 * Every selector is the `$node` variable's instance.
 */
import { PROM_LABEL, VARIABLE, eq, ne, nre, rate, re, sel, sumBy } from './promql.ts';

/** Node exporter metrics used here. */
export const NODE = Object.freeze({
  uname: 'node_uname_info',
  cpu: 'node_cpu_seconds_total',
  load1: 'node_load1',
  memAvailable: 'node_memory_MemAvailable_bytes',
  memTotal: 'node_memory_MemTotal_bytes',
  majorFaults: 'node_vmstat_pgmajfault',
  netReceive: 'node_network_receive_bytes_total',
  netTransmit: 'node_network_transmit_bytes_total',
  netReceiveDrop: 'node_network_receive_drop_total',
  netTransmitDrop: 'node_network_transmit_drop_total',
  netReceiveErrors: 'node_network_receive_errs_total',
  netTransmitErrors: 'node_network_transmit_errs_total',
  diskIoTime: 'node_disk_io_time_seconds_total',
  diskIoWeighted: 'node_disk_io_time_weighted_seconds_total',
  fsAvail: 'node_filesystem_avail_bytes',
  fsSize: 'node_filesystem_size_bytes',
  fsDeviceError: 'node_filesystem_device_error',
} as const);

const node = (...more: string[]) => [eq(PROM_LABEL.instance, `$${VARIABLE.node}`), ...more];
const CPU_IDLE = re('mode', 'idle|iowait|steal');
const NOT_LOOPBACK = ne('device', 'lo');
const REAL_FS = [ne('fstype', ''), ne('mountpoint', ''), nre('fstype', 'tmpfs|ramfs|squashfs|nsfs')];

/** The variable query listing hosts: every instance of the node exporter. */
export function hostsVariable(): string {
  return `label_values(${NODE.uname}, ${PROM_LABEL.instance})`;
}

/** Busy share of all CPUs (0–1). */
export function cpuUtilization(): string {
  return `1 - avg(${sumBy(['cpu'], rate(sel(NODE.cpu, ...node(CPU_IDLE))))})`;
}

/** 1-minute load average per CPU: above 1, runnable threads wait for a CPU. */
export function cpuSaturation(): string {
  return `${sel(NODE.load1, ...node())} / scalar(count(${sel(NODE.cpu, ...node(eq('mode', 'idle')))}))`;
}

/** Share of memory not available to new allocations without swapping (0–1). */
export function memoryUtilization(): string {
  return `1 - (${sel(NODE.memAvailable, ...node())} / ${sel(NODE.memTotal, ...node())})`;
}

/** Major page faults per second: memory pressure that costs disk reads. */
export function memorySaturation(): string {
  return rate(sel(NODE.majorFaults, ...node()));
}

/** Bytes per second received (`receive`) or transmitted (`transmit`), by device. */
export function networkBytes(direction: 'receive' | 'transmit'): string {
  return sumBy(['device'], rate(sel(direction === 'receive' ? NODE.netReceive : NODE.netTransmit, ...node(NOT_LOOPBACK))));
}

/** Packets dropped per second (saturation), by device and direction. */
export function networkDrops(direction: 'receive' | 'transmit'): string {
  return sumBy(['device'], rate(sel(direction === 'receive' ? NODE.netReceiveDrop : NODE.netTransmitDrop, ...node(NOT_LOOPBACK))));
}

/** Network errors per second, by device and direction. */
export function networkErrors(direction: 'receive' | 'transmit'): string {
  return sumBy(['device'], rate(sel(direction === 'receive' ? NODE.netReceiveErrors : NODE.netTransmitErrors, ...node(NOT_LOOPBACK))));
}

/** Share of time each disk was busy with IO (0–1). */
export function diskUtilization(): string {
  return rate(sel(NODE.diskIoTime, ...node(ne('device', ''))));
}

/** Weighted IO time per second: the average IO queue length of each disk. */
export function diskSaturation(): string {
  return rate(sel(NODE.diskIoWeighted, ...node(ne('device', ''))));
}

/** Share of each real filesystem used (0–1), tmpfs excluded. */
export function filesystemUtilization(): string {
  return `1 - (${sel(NODE.fsAvail, ...node(...REAL_FS))} / ${sel(NODE.fsSize, ...node(...REAL_FS))})`;
}

/** Filesystems the exporter could not stat (1 = error). */
export function filesystemErrors(): string {
  return `max by (mountpoint) (${sel(NODE.fsDeviceError, ...node(...REAL_FS))})`;
}
