/**
 * `periscope logs <request-id | trace-id> [path ...]`: every log line of a request (or trace)
 * across services, in time order: the request ID's lines, and the lines of the traces they
 * belong to.
 */
import { serviceLogLine } from './log-line.js';
import { describeRead, isTraceId, search, skippedNotes } from './search.js';
import { noFiles } from './trace-command.js';
import type { CommandResult } from './trace-command.js';

/** Runs `periscope logs` for `id` over `paths`; `json` prints the lines as they were written. */
export async function logsCommand(id: string, paths: readonly string[], json: boolean): Promise<CommandResult> {
  const result = await search(id, paths);
  if (result.files.length === 0) return noFiles(paths);
  const notes = skippedNotes(result);
  if (result.logs.length === 0) {
    return { code: 1, stdout: '', stderr: `${notes}no log lines found for ${isTraceId(id) ? 'trace' : 'request'} ${id} ${describeRead(result)}\n` };
  }
  const lines = result.logs.map((l) => (json ? JSON.stringify(l) : serviceLogLine(l)));
  return { code: 0, stdout: `${lines.join('\n')}\n`, stderr: notes };
}
