/**
 * The audit writer: one JSON line per audit event, written synchronously to stdout and the log
 * file before `audit()` returns, then handed to the other sinks (syslog).
 *
 * Audit lines have their own logger, at level `info`, apart from the service's: the service's log
 * level never filters them and no sampling or buffer applies. They carry the same base fields,
 * request and trace fields and redaction as every other line, plus `log_type: "audit"`, by which
 * the log agent routes them to their own stream.
 */
import pino from 'pino';
import type { Logger } from 'pino';
import { AUDIT_WRITE_FAILED } from '../core/errors.js';
import type { CodedError } from '../core/errors.js';
import { requestLogFields } from '../logging/fields.js';
import { LOG_KEY } from '../core/names.js';
import { CENSOR } from '../logging/redaction.js';
import { validateAuditEvent } from './event.js';
import type { AuditEvent } from '../types.js';
import { appendFile, writeFully } from './sync-write.js';
import type { AppendFile } from './sync-write.js';
import { RotatingFile } from '../core/rotating-file.js';
import type { RotationPolicy } from '../core/rotating-file.js';

/** The `log_type` value of audit lines. */
export const AUDIT_LOG_TYPE = 'audit';

/** A destination that receives each line after the synchronous ones (e.g. the syslog shipper). */
export interface AuditSink {
  write(line: string): void;
}

/** Options of {@link createAuditWriter}. */
export interface AuditWriterOptions {
  /** Fields of every line: the same as the service's log lines. */
  readonly base: { readonly service: string; readonly version: string; readonly hostname: string; readonly pid: number };
  /** Write to stdout (file descriptor 1), synchronously. */
  readonly stdout: boolean;
  /** Also append to this file, synchronously. */
  readonly logFile?: string;
  /** Size cap and rotation of `logFile`, shared with the service's logger writing the same file. */
  readonly fileRotation?: RotationPolicy | false;
  /** Other destinations; a failing one is reported through `onSinkError`, not thrown. */
  readonly sinks?: readonly AuditSink[];
  /** pino redaction paths: the service logger's (`redactPaths(options.redact)`). */
  readonly redactPaths: readonly string[];
  /** Told when a sink throws. */
  readonly onSinkError?: (err: unknown) => void;
  /** Where stdout lines go. Default: synchronous writes to file descriptor 1. */
  readonly writeStdout?: (line: string) => void;
}

/** Writes one audit event; throws when the event is invalid or could not be written. */
export type AuditFn = (event: AuditEvent) => void;

/** An audit writer: `audit` and `close`. */
export interface AuditWriter {
  readonly audit: AuditFn;
  /** Closes the log file. Later events reopen it. */
  close(): void;
}

function writeFailed(action: string, failures: readonly { destination: string; err: unknown }[]): CodedError {
  const detail = failures.map((f) => `${f.destination}: ${(f.err as Error)?.message ?? String(f.err)}`).join('; ');
  const err = new Error(`audit(event): could not write audit event "${action}" to ${detail}`, { cause: failures[0]!.err });
  return Object.assign(err, { code: AUDIT_WRITE_FAILED });
}

/**
 * Creates the audit writer of a service.
 * @example
 * const { audit } = createAuditWriter({ base, stdout: true, redactPaths: redactPaths([]) });
 * audit({ action: 'thought.delete', actor: 'user:7', target: 'thought:42', outcome: 'success' });
 */
export function createAuditWriter(options: AuditWriterOptions): AuditWriter {
  const destinations: { name: string; write: (line: string) => void }[] = [];
  if (options.stdout) destinations.push({ name: 'stdout', write: options.writeStdout ?? ((line) => writeFully(1, line)) });
  let file: AppendFile | undefined;
  if (options.logFile !== undefined) {
    const f = (file = appendFile(options.logFile, options.fileRotation ? RotatingFile.for(options.logFile, options.fileRotation) : undefined));
    destinations.push({ name: `log file ${options.logFile}`, write: (line) => f.append(line) });
  }
  const sinks = options.sinks ?? [];
  if (destinations.length === 0 && sinks.length === 0) {
    throw Object.assign(new Error('createAuditWriter(options): no destination - expected stdout, a log file or a sink'), { code: AUDIT_WRITE_FAILED });
  }

  let failures: { destination: string; err: unknown }[] = [];
  const stream = {
    write(line: string) {
      for (const d of destinations) {
        try {
          d.write(line);
        } catch (err) {
          failures.push({ destination: d.name, err });
        }
      }
      for (const sink of sinks) {
        try {
          sink.write(line);
        } catch (err) {
          if (destinations.length === 0) failures.push({ destination: 'sink', err });
          else options.onSinkError?.(err);
        }
      }
    },
  };
  const logger: Logger = pino(
    {
      level: 'info',
      messageKey: LOG_KEY.msg,
      base: { ...options.base },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ [LOG_KEY.level]: label }) },
      mixin: requestLogFields,
      redact: { paths: [...options.redactPaths], censor: CENSOR },
    },
    stream,
  );

  const audit: AuditFn = (event) => {
    const e = validateAuditEvent(event);
    failures = [];
    logger.info({ [LOG_KEY.logType]: AUDIT_LOG_TYPE, ...e }, `audit ${e.action}`);
    if (failures.length > 0) throw writeFailed(e.action, failures);
  };
  return { audit, close: () => file?.close() };
}
