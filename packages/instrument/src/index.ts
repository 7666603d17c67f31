// The package's one public door: explicit re-exports only, values and types apart.
export { instrument } from './instrument.js';
export { currentRequestId } from './core/context.js';
export { ALREADY_INSTRUMENTED, AUDIT_WRITE_FAILED, INVALID_APP, INVALID_AUDIT_EVENT, INVALID_OPTION, SYSLOG_UNAVAILABLE } from './core/errors.js';
// The telemetry contract's names (metric, label, header, log key… names), also served alone at
// `@periscope/instrument/contract`.
export * from './contract.js';

export type {
  AuditEvent,
  InstrumentOptions,
  LogLevel,
  ReadinessCheck,
  ResourceTracker,
  SyslogFacility,
  SyslogOptions,
  SyslogTlsOptions,
  Telemetry,
  TracePropagationTargets,
  TracingMode,
} from './types.js';
