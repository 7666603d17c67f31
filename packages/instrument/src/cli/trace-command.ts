/**
 * `periscope trace <request-id | trace-id> [paths...]`: finds a request's spans and log lines
 * in span files and log files and prints its path through every service.
 */
import { readdirSync, statSync, openSync, readSync, closeSync } from 'node:fs';
import { extname, join } from 'node:path';
import { readLogs } from './log-files.js';
import type { LogRecord } from './log-files.js';
import { readSpans } from './span-files.js';
import type { SpanRecord } from './span-files.js';
import { renderTraces } from './waterfall.js';

/** Where the demo writes its spans and logs, relative to the working directory. */
export const DEFAULT_PATHS: readonly string[] = ['.periscope/spans', '.periscope/logs'];

const TRACE_ID = /^[0-9a-f]{32}$/;

/** Extensions of the files read when a directory is walked (files named explicitly are always read). */
const READABLE = new Set(['.log', '.jsonl', '.json', '.ndjson']);

/** Lists the files under `paths` (directories are walked for log and span files), without duplicates. */
export function listFiles(paths: readonly string[]): { files: string[]; missing: string[] } {
  const files = new Set<string>();
  const missing: string[] = [];
  const walk = (p: string, top: boolean) => {
    let st;
    try {
      st = statSync(p);
    } catch {
      missing.push(p);
      return;
    }
    if (st.isDirectory()) for (const e of readdirSync(p).sort()) walk(join(p, e), false);
    else if (st.isFile() && (top || READABLE.has(extname(p)))) files.add(p);
  };
  for (const p of paths) walk(p, true);
  return { files: [...files], missing };
}

/** Runs `read`; a file that vanished or cannot be read since it was listed counts as empty. */
async function orNothing<T>(read: () => Promise<T[]>): Promise<T[]> {
  try {
    return await read();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') return [];
    throw err;
  }
}

/** Span files hold OTLP requests; anything else is read as JSON log lines. */
function isSpanFile(file: string): boolean {
  if (extname(file) === '.log') return false;
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

/** The outcome of a search. */
export interface TraceResult {
  spans: SpanRecord[];
  logs: LogRecord[];
  traceIds: string[];
  text: string;
}

/** Finds and renders the trace(s) of `id` (a 32-hex trace ID, otherwise a request ID). */
export async function findTrace(id: string, paths: readonly string[]): Promise<TraceResult & { files: string[]; missing: string[] }> {
  const { files, missing } = listFiles(paths);
  const spanFiles = files.filter(isSpanFile);
  const logFiles = files.filter((f) => !spanFiles.includes(f));
  const isTraceId = TRACE_ID.test(id);
  const requestId = isTraceId ? undefined : id;
  const traceIds = new Set<string>(isTraceId ? [id] : []);

  if (requestId !== undefined) {
    // The request ID leads to trace IDs through the log lines and the server spans that carry it.
    for (const f of logFiles) {
      for (const l of await orNothing(() => readLogs(f, { requestId, traceIds: new Set() }))) if (typeof l.trace_id === 'string') traceIds.add(l.trace_id);
    }
    for (const f of spanFiles) {
      for (const t of await orNothing(async () => [...(await readSpans(f, { traceIds: new Set(), requestId })).traceIds])) traceIds.add(t);
    }
  }
  const spans: SpanRecord[] = [];
  for (const f of spanFiles) spans.push(...(await orNothing(async () => (await readSpans(f, { traceIds })).spans)));
  const logs: LogRecord[] = [];
  for (const f of logFiles) logs.push(...(await orNothing(() => readLogs(f, { requestId, traceIds }))));
  logs.sort((a, b) => String(a.time).localeCompare(String(b.time)));

  let text: string;
  if (spans.length > 0) text = renderTraces(spans, logs, requestId);
  else if (logs.length > 0) {
    text = [`no spans found for ${id}; its log lines:`, ...logs.map((l) => `  ${String(l.service ?? '?').padEnd(12)} ${l.time ?? ''} ${l.level ?? ''} ${l.msg ?? ''}`), ''].join('\n');
  } else {
    text = `nothing found for ${isTraceId ? 'trace' : 'request'} ${id} in ${files.length} file${files.length === 1 ? '' : 's'} (${spanFiles.length} span, ${logFiles.length} log)${missing.length ? `; not found: ${missing.join(', ')}` : ''}\n`;
  }
  return { spans, logs, traceIds: [...traceIds], text, files, missing };
}
