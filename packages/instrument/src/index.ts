// The package's one public door: explicit re-exports only, values and types apart.
export { instrument } from './instrument.js';
export { currentRequestId } from './core/context.js';
export { INVALID_APP, INVALID_OPTION } from './core/errors.js';
export { INVALID_AUDIT_EVENT } from './audit/event.js';
export { AUDIT_WRITE_FAILED } from './audit/writer.js';
// The telemetry contract's names (metric, label, header, log key… names), also served alone at
// `@periscope/instrument/contract`.
export * from './contract.js';

export type { AuditEvent } from './audit/event.js';
export type {
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
