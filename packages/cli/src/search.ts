/**
 * Finds one request's (or trace's) spans and log lines in span files and log files: the request
 * ID leads to trace IDs, the trace IDs to every span and line of those traces.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { LOG_KEY } from '@periscope/instrument/contract';
import { listFiles, readOrSkip } from './file-list.js';
import { byTime, field, readLogs } from './log-files.js';
import type { LogRecord } from './log-files.js';
import { readSpans } from './span-files.js';
import type { SpanRecord } from './span-files.js';

/** Where the demo writes its spans and logs, relative to the working directory. */
export const DEFAULT_PATHS: readonly string[] = ['.periscope/spans', '.periscope/logs'];

const TRACE_ID = /^[0-9a-f]{32}$/;

/** Whether `id` is a trace ID (32 lowercase hex digits) rather than a request ID. */
export function isTraceId(id: string): boolean {
  return TRACE_ID.test(id);
}

/** What a search found, and what it read. */
export interface SearchResult {
  spans: SpanRecord[];
  /** Log lines of the request or its traces, ordered by time. */
  logs: LogRecord[];
  traceIds: string[];
  files: string[];
  spanFiles: string[];
  logFiles: string[];
  /** Paths given that do not exist. */
  missing: string[];
  /** Files that vanished (rotated away, deleted) or became unreadable after they were listed. */
  skipped: string[];
  /** Lines of span files that could not be parsed. */
  badSpanLines: number;
}

/** Span files hold OTLP requests (the first bytes tell); `*.log` and anything else are log files. */
function isSpanFile(file: string): boolean {
  const name = basename(file).replace(/\.[0-9]+$/, '');
  if (extname(name) === '.log') return false;
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return false;
  }
  try {
    const buf = Buffer.alloc(64);
    const n = readSync(fd, buf, 0, 64, 0);
    return buf.subarray(0, n).toString('utf8').startsWith('{"resourceSpans"');
  } finally {
    closeSync(fd);
  }
}

/** Searches `files` (already listed, rotations oldest first) for `id`. */
export async function searchFiles(id: string, files: readonly string[]): Promise<Omit<SearchResult, 'files' | 'missing'>> {
  const spanFiles = files.filter(isSpanFile);
  const logFiles = files.filter((f) => !spanFiles.includes(f));
  const requestId = isTraceId(id) ? undefined : id;
  const traceIds = new Set<string>(requestId === undefined ? [id] : []);
  const skipped = new Set<string>();
  let badSpanLines = 0;

  if (requestId !== undefined) {
    // The request ID leads to trace IDs through the log lines and the server spans that carry it.
    for (const f of logFiles) {
      for (const l of await readOrSkip(f, (file) => readLogs(file, { requestId, traceIds: new Set() }), skipped)) {
        const t = field(l, LOG_KEY.traceId);
        if (t !== undefined) traceIds.add(t);
      }
    }
    for (const f of spanFiles) {
      for (const t of await readOrSkip(f, async (file) => [...(await readSpans(file, { traceIds: new Set(), requestId })).traceIds], skipped)) traceIds.add(t);
    }
  }
  const spans: SpanRecord[] = [];
  for (const f of spanFiles) {
    const found = await readOrSkip(f, async (file) => [await readSpans(file, { traceIds })], skipped);
    for (const r of found) {
      spans.push(...r.spans);
      badSpanLines += r.badLines;
    }
  }
  const logs: LogRecord[] = [];
  for (const f of logFiles) logs.push(...(await readOrSkip(f, (file) => readLogs(file, { requestId, traceIds }), skipped)));
  return { spans, logs: byTime(logs), traceIds: [...traceIds], spanFiles, logFiles, skipped: [...skipped], badSpanLines };
}

/** Lists the files under `paths` (with their rotations) and searches them for `id`. */
export async function search(id: string, paths: readonly string[]): Promise<SearchResult> {
  const { files, missing } = listFiles(paths);
  return { ...(await searchFiles(id, files)), files, missing };
}

/** One line on what the search read: `in 6 files (3 span, 3 log); not found: …`. */
export function describeRead(result: SearchResult): string {
  const n = result.files.length;
  const parts = [`in ${n} file${n === 1 ? '' : 's'} (${result.spanFiles.length} span, ${result.logFiles.length} log)`];
  if (result.missing.length > 0) parts.push(`not found: ${result.missing.join(', ')}`);
  return parts.join('; ');
}

/** Notes on what was skipped (vanished files, unparsable span lines), one per line, or ''. */
export function skippedNotes(result: SearchResult): string {
  const notes: string[] = [];
  if (result.skipped.length > 0) notes.push(`periscope: skipped ${result.skipped.length} file${result.skipped.length === 1 ? '' : 's'} that vanished while read: ${result.skipped.join(', ')}\n`);
  if (result.badSpanLines > 0) notes.push(`periscope: skipped ${result.badSpanLines} unparsable span line${result.badSpanLines === 1 ? '' : 's'}\n`);
  return notes.join('');
}
