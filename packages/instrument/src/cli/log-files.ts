/**
 * Reads the JSON log lines of one request or trace from the services' log files.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

/** A parsed log line. */
export type LogRecord = Record<string, unknown> & { msg?: string; level?: string; time?: string; span_id?: string; trace_id?: string; request_id?: string; service?: string };

/** Streams `file` and returns the lines whose `request_id` or `trace_id` matches. */
export async function readLogs(file: string, ids: { requestId?: string; traceIds: ReadonlySet<string> }): Promise<LogRecord[]> {
  const out: LogRecord[] = [];
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) {
    let candidate = ids.requestId !== undefined && line.includes(ids.requestId);
    if (!candidate) for (const id of ids.traceIds) if (line.includes(id)) candidate = true;
    if (!candidate || line[0] !== '{') continue;
    try {
      const record = JSON.parse(line) as LogRecord;
      if ((ids.requestId !== undefined && record.request_id === ids.requestId) || (typeof record.trace_id === 'string' && ids.traceIds.has(record.trace_id))) {
        out.push(record);
      }
    } catch {
      // Not a JSON line (a stack trace printed by something else): skip it.
    }
  }
  return out;
}
