// Syslog shipping: the module's public surface, re-exported by the package's index.
export { createSyslogShipper } from './shipper.js';
export { parseSyslogUrl } from './url.js';
export { SYSLOG_DEPENDENCY_MISSING } from './load.js';
export { SEVERITY, severityOf } from './severity.js';

export type { SyslogDropReason, SyslogShipper, SyslogShipperOptions } from './shipper.js';
export type { SyslogAddress, SyslogProtocol } from './url.js';
