/**
 * Reads the JSON log lines of one request or trace from a service's log file.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { LOG_KEY } from '@periscope/instrument/contract';

/** A parsed log line (the keys are the contract's `LOG_KEY`s). */
export type LogRecord = Record<string, unknown>;

/** What to look for: lines with this request ID, or with one of these trace IDs. */
export interface LogQuery {
  requestId?: string;
  traceIds: ReadonlySet<string>;
}

/** The string value of `key` in `record`, if it is a string. */
export function field(record: LogRecord, key: string): string | undefined {
  const v = record[key];
  return typeof v === 'string' ? v : undefined;
}

/** Whether `record` belongs to what `query` looks for. */
export function matches(record: LogRecord, query: LogQuery): boolean {
  const traceId = field(record, LOG_KEY.traceId);
  return (query.requestId !== undefined && field(record, LOG_KEY.requestId) === query.requestId) || (traceId !== undefined && query.traceIds.has(traceId));
}

/** Streams `file` and returns the lines that match `query`, in file order. */
export async function readLogs(file: string, query: LogQuery): Promise<LogRecord[]> {
  const out: LogRecord[] = [];
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) {
    // Cheap substring test first, so a large file is scanned without parsing every line.
    let candidate = query.requestId !== undefined && line.includes(query.requestId);
    if (!candidate) for (const id of query.traceIds) if (line.includes(id)) candidate = true;
    if (!candidate || line[0] !== '{') continue;
    try {
      const record = JSON.parse(line) as LogRecord;
      if (matches(record, query)) out.push(record);
    } catch {
      // Not a JSON line (a stack trace printed by something else): skip it.
    }
  }
  return out;
}

/** Orders log lines by their `time` (ISO 8601); lines of the same time keep their order. */
export function byTime(logs: LogRecord[]): LogRecord[] {
  return logs.sort((a, b) => String(a[LOG_KEY.time] ?? '').localeCompare(String(b[LOG_KEY.time] ?? '')));
}
