/**
 * The reader at the other end of a service's stdout pipe: it splits the JSON lines and keeps what
 * the soak checks — lines per process, the request IDs of audit lines and of error lines with a
 * fingerprint — and can be made slow (paused most of the time, read in short bursts) for the
 * slow-stdout fault.
 */
import type { Readable } from 'node:stream';
import { LOG_KEY } from '@periscope/instrument/contract';

/** What the readers of all services saw, shared. */
export interface LogTally {
  /** Lines per process ID (every line, parsed or not). */
  linesByPid: Map<number, number>;
  /** Request IDs of audit lines (`log_type: "audit"`). */
  auditIds: Set<string>;
  /** Request IDs of error lines carrying `err.fingerprint`. */
  errorIds: Set<string>;
  /** Lines that were not JSON. */
  unparsed: number;
  /** Longest time (ms) a reader was paused, for the report. */
  longestPauseMs: number;
}

/** An empty tally. */
export function createTally(): LogTally {
  return { linesByPid: new Map(), auditIds: new Set(), errorIds: new Set(), unparsed: 0, longestPauseMs: 0 };
}

/** Adds one log line to `tally`. */
export function tallyLine(tally: LogTally, line: string, pid: number): void {
  tally.linesByPid.set(pid, (tally.linesByPid.get(pid) ?? 0) + 1);
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    tally.unparsed++;
    return;
  }
  const requestId = record[LOG_KEY.requestId];
  if (typeof requestId !== 'string') return;
  if (record[LOG_KEY.logType] === 'audit') tally.auditIds.add(requestId);
  const err = record[LOG_KEY.err] as { fingerprint?: unknown } | undefined;
  if (record[LOG_KEY.level] === 'error' && typeof err?.fingerprint === 'string') tally.errorIds.add(requestId);
}

/** How slowly a reader reads: paused `pauseMs`, then reading for `readMs`, again and again. */
export interface SlowReading {
  pauseMs: number;
  readMs: number;
}

/** The reader of one process's stdout. */
export interface LogReader {
  /** Reads slowly from now on (`undefined`: at full speed again). */
  setSlow(slow: SlowReading | undefined): void;
  /** Resolves when the stream has ended and every line was counted. */
  readonly ended: Promise<void>;
}

/** Reads `stream` (a child's stdout) line by line into `tally`, as the lines of process `pid`. */
export function readLogs(stream: Readable, pid: number, tally: LogTally): LogReader {
  let rest = '';
  let slow: SlowReading | undefined;
  let timer: NodeJS.Timeout | undefined;
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    for (const line of parts) if (line !== '') tallyLine(tally, line, pid);
  });
  const ended = new Promise<void>((resolve) => {
    stream.once('close', () => {
      if (rest !== '') tallyLine(tally, rest, pid);
      rest = '';
      clearTimeout(timer);
      resolve();
    });
  });
  const cycle = () => {
    if (!slow) return;
    const { pauseMs, readMs } = slow;
    stream.pause();
    const pausedAt = Date.now();
    timer = setTimeout(() => {
      tally.longestPauseMs = Math.max(tally.longestPauseMs, Date.now() - pausedAt);
      stream.resume();
      timer = setTimeout(cycle, readMs);
    }, pauseMs);
  };
  return {
    setSlow(next) {
      clearTimeout(timer);
      slow = next;
      if (slow) cycle();
      else stream.resume();
    },
    ended,
  };
}
