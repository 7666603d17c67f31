/**
 * `telemetry.audit(event)` for one instrumented app: audit lines go where the logs go (stdout,
 * the log file, syslog); with no destination at all, `audit()` throws so the loss is not silent.
 */
import { hostname } from 'node:os';
import type { ResolvedOptions } from '../options.js';
import type { Report } from '../core/report.js';
import { redactPaths } from '../logging/redaction.js';
import { AUDIT_WRITE_FAILED } from '../core/errors.js';
import { createAuditWriter } from './writer.js';
import type { AuditSink, AuditWriter } from './writer.js';

/** Creates the audit writer for `opts`, with `sinks` (the syslog shipper) after the synchronous destinations. */
export function createAudit(opts: ResolvedOptions, sinks: readonly AuditSink[], report: Report): AuditWriter {
  if (!opts.stdout && opts.logFile === undefined && sinks.length === 0) {
    return {
      audit() {
        throw Object.assign(new Error('audit(event): nowhere to write audit events - turn on stdout, logFile or syslog'), { code: AUDIT_WRITE_FAILED });
      },
      close() {},
    };
  }
  return createAuditWriter({
    base: { service: opts.service, version: opts.version, hostname: hostname(), pid: process.pid },
    stdout: opts.stdout,
    logFile: opts.logFile,
    fileRotation: opts.fileRotation,
    sinks,
    redactPaths: redactPaths(opts.redact),
    onSinkError: (err) => report('audit syslog shipping', err),
  });
}
