/**
 * The pino logger: JSON lines with the contract's keys, request and trace fields added by a mixin,
 * secrets redacted, written to stdout (and a file, and syslog, when configured).
 */
import { hostname } from 'node:os';
import pino from 'pino';
import type { DestinationStream, Logger, LoggerOptions } from 'pino';
import { CENSOR, redactPaths } from './redaction.js';
import { requestLogFields, serializeError } from './log-fields.js';
import type { ResolvedOptions } from './options.js';

/** A destination besides stdout: receives each serialized line. */
export interface LineSink {
  write(line: string): void;
}

/** The logger and the means to flush what its asynchronous destinations still hold. */
export interface LoggerSetup {
  readonly logger: Logger;
  /** Writes out buffered lines. */
  flush(): Promise<void>;
}

function flushLogger(logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    try {
      logger.flush((err) => {
        void err;
        resolve();
      });
    } catch {
      resolve();
    }
  });
}

/**
 * Builds the service's logger, or adapts the caller's own pino logger so its lines inside a
 * request carry the request fields too.
 */
export function createLogger(options: ResolvedOptions, sinks: readonly LineSink[] = []): LoggerSetup {
  const base = { service: options.service, version: options.version, hostname: hostname(), pid: process.pid };

  if (options.logger) {
    // A caller's logger keeps its own destination and format; a child adds our base fields and,
    // through its log formatter, the request fields (pino children cannot take a mixin).
    const logger = options.logger.child(
      { service: options.service, version: options.version },
      { formatters: { log: (obj: object) => ({ ...requestLogFields(), ...obj }) }, serializers: { err: serializeError } },
    );
    return { logger, flush: () => flushLogger(logger) };
  }

  const pinoOptions: LoggerOptions = {
    level: options.logLevel,
    messageKey: 'msg',
    base,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: requestLogFields,
    serializers: { err: serializeError },
    redact: { paths: redactPaths(options.redact), censor: CENSOR },
  };

  const streams: DestinationStream[] = [];
  if (options.stdout) streams.push(pino.destination({ dest: 1, sync: false }));
  if (options.logFile) {
    streams.push(pino.destination({ dest: options.logFile, sync: false, mkdir: true, append: true }));
  }
  for (const sink of sinks) streams.push({ write: (line: string) => sink.write(line) });

  const destination =
    streams.length === 1 ? streams[0]! : pino.multistream(streams.map((stream) => ({ stream, level: 'trace' as const })));
  const logger = pino(pinoOptions, destination);
  return { logger, flush: () => flushLogger(logger) };
}
