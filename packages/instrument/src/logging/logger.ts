/**
 * The pino logger: JSON lines with the contract's keys, request and trace fields added by a mixin,
 * secrets redacted, written to stdout (and a file, and syslog, when configured).
 */
import { hostname } from 'node:os';
import pino from 'pino';
import type { DestinationStream, Logger, LoggerOptions } from 'pino';
import { CENSOR, redactObjectsOnly, redactPaths } from './redaction.js';
import { requestLogFields, serializeError } from './fields.js';
import { fastAccessLines } from './access-json.js';
import { LineBatch } from './line-batch.js';
import { isOpening, onWrittenOut, writeOutSync } from './sonic-boom.js';
import type { SonicBoom } from './sonic-boom.js';
import { linesIn } from './dropped.js';
import type { LogDestination, OnLogDrop } from './dropped.js';
import type { ResolvedOptions } from '../options.js';
import { RotatingFile } from '../core/rotating-file.js';
import type { RotationPolicy } from '../core/rotating-file.js';

let lastMs = 0;
let lastTime = '';
/** pino's ISO time field, formatted once per millisecond rather than once per line. */
function isoTimestamp(): string {
  const now = Date.now();
  if (now !== lastMs) {
    lastMs = now;
    lastTime = `,"time":"${new Date(now).toISOString()}"`;
  }
  return lastTime;
}

/** A destination besides stdout: receives each serialized line. */
export interface LineSink {
  write(line: string): void;
}

/** The logger and the means to flush what its asynchronous destinations still hold. */
export interface LoggerSetup {
  readonly logger: Logger;
  /**
   * The logger for access lines. Periscope builds every field of those lines itself (the path's
   * query already redacted), so its own logger skips pino's path redaction there — the most
   * expensive step per line — and serializes them in one step (access-json.ts). A caller's
   * logger is used as it is.
   */
  readonly accessLogger: Logger;
  /** Writes out buffered lines. */
  flush(): Promise<void>;
  /** Writes out buffered lines before returning (the process may be about to exit). */
  flushSync(): void;
}

function settle(run: (done: () => void) => void, timeoutMs = 2000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    timer.unref();
    try {
      run(() => {
        clearTimeout(timer);
        resolve();
      });
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}

/**
 * The log file's destination, rotated by size: the line that would take the file past its cap
 * goes to a fresh file (the destination reopens the path; lines still buffered for the old file
 * are written to it under its new name first).
 */
function rotating(boom: SonicBoom, batch: LineBatch, path: string, policy: RotationPolicy, onError: (kind: string, err: unknown) => void): DestinationStream {
  const file = RotatingFile.for(path, policy);
  file.join({
    settle() {
      batch.drain();
      // Not while its file is (re)opening: the lines it holds belong to the file it is opening.
      if (boom.destroyed || isOpening(boom)) return false;
      boom.flushSync();
      return true;
    },
    reopen() {
      boom.reopen();
    },
  });
  return {
    write(line: string) {
      try {
        file.add(line.length);
      } catch (err) {
        onError(`log file rotation ${path}`, err);
      }
      batch.write(line);
    },
  };
}

/**
 * Builds the service's logger, or adapts the caller's own pino logger so its lines inside a
 * request carry the request fields too.
 */
export function createLogger(
  options: ResolvedOptions,
  sinks: readonly LineSink[] = [],
  onError: (kind: string, err: unknown) => void = () => {},
  onDrop: OnLogDrop = () => {},
): LoggerSetup {
  const base = { service: options.service, version: options.version, hostname: hostname(), pid: process.pid };

  if (options.logger) {
    // A caller's logger keeps its own destination and format; a child adds our base fields and,
    // through its log formatter, the request fields (pino children cannot take a mixin).
    const logger = options.logger.child(
      { service: options.service, version: options.version },
      { formatters: { log: (obj: object) => ({ ...requestLogFields(), ...obj }) }, serializers: { err: serializeError } },
    );
    const flush = () => settle((done) => logger.flush(() => done()));
    return { logger, accessLogger: logger, flush, flushSync: () => {} };
  }

  const pinoOptions: LoggerOptions = {
    level: options.logLevel,
    messageKey: 'msg',
    base,
    timestamp: isoTimestamp,
    formatters: { level: (label) => ({ level: label }) },
    mixin: requestLogFields,
    serializers: { err: serializeError },
    redact: { paths: redactPaths(options.redact), censor: CENSOR },
  };

  const streams: DestinationStream[] = [];
  const booms: SonicBoom[] = [];
  const batches: LineBatch[] = [];
  const open = (dest: number | string, kind: string, destination: LogDestination, extra: object = {}) => {
    // Bounded: a destination that cannot keep up drops (and counts) lines past the bound instead of
    // holding them all in memory.
    const boom = pino.destination({ dest, sync: false, maxLength: options.logBufferBytes, ...extra }) as SonicBoom;
    // A destination that fails (disk full, directory gone) is reported, never thrown into the service.
    boom.on('error', (err) => onError(kind, err));
    boom.on('drop', (data) => onDrop(destination, linesIn(data as string | Buffer)));
    booms.push(boom);
    const batch = new LineBatch({ write: (text) => boom.write(text), writeSync: (text) => writeOutSync(boom, text) }, (err) => onError(kind, err));
    batches.push(batch);
    streams.push(batch);
  };
  if (options.stdout) open(1, 'stdout logging', 'stdout');
  if (options.logFile) {
    open(options.logFile, `log file ${options.logFile}`, 'file', { mkdir: true, append: true });
    if (options.fileRotation) {
      streams[streams.length - 1] = rotating(booms[booms.length - 1]!, batches[batches.length - 1]!, options.logFile, options.fileRotation, onError);
    }
  }
  for (const sink of sinks) streams.push({ write: (line: string) => sink.write(line) });

  const destination =
    streams.length === 1 ? streams[0]! : pino.multistream(streams.map((stream) => ({ stream, level: 'trace' as const })));
  const logger = pino(pinoOptions, destination);
  redactObjectsOnly(logger);
  const flush = async () => {
    for (const batch of batches) batch.drain();
    await Promise.all(booms.map((boom) => settle((done) => onWrittenOut(boom, done))));
  };
  const flushSync = () => {
    for (const batch of batches) batch.drainSync();
  };
  const accessLogger = logger.child({}, { redact: [] });
  fastAccessLines(accessLogger);
  // Destinations stay open after a flush: a line logged during shutdown must not throw.
  return { logger, accessLogger, flush, flushSync };
}
