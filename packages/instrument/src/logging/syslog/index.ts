// Syslog shipping: the room's public surface.
import { Counter } from 'prom-client';
import type { Registry } from 'prom-client';
import { LABEL, METRIC } from '../../core/names.js';
import type { ResolvedOptions } from '../../options.js';
import type { Report } from '../../core/report.js';
import { startSyslogShipper } from './shipper.js';
import type { SyslogShipper } from './shipper-types.js';

export { createSyslogShipper, startSyslogShipper } from './shipper.js';
export { resolveSyslogOptions, SYSLOG_DEFAULTS } from './options.js';
export { parseSyslogUrl } from './url.js';
export { SEVERITY, severityOf } from './severity.js';

export type { SyslogConfig } from './options.js';
export type { SyslogDropReason, SyslogHooks, SyslogShipper, SyslogShipperOptions } from './shipper-types.js';
export type { SyslogAddress, SyslogProtocol } from './url.js';

/**
 * Ships log lines to the configured syslog collector, counting what it drops in
 * `periscope_syslog_dropped_total{reason}`; `undefined` when no collector is configured.
 */
export function createSyslog(opts: ResolvedOptions, registry: Registry, report: Report): SyslogShipper | undefined {
  if (opts.syslog === undefined) return undefined;
  const dropped = new Counter({
    name: METRIC.syslogDropped,
    help: 'Log records the syslog shipper dropped (buffer full, oversized, collector down or not trusted).',
    labelNames: [LABEL.reason],
    registers: [registry],
  });
  return startSyslogShipper(opts.syslog, {
    onDrop: (n, reason) => dropped.inc({ [LABEL.reason]: reason }, n),
    onError: (err) => report('syslog shipping', err),
  });
}
