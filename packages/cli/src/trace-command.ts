/**
 * `periscope trace <request-id | trace-id> [path ...]`: a request's path through every service,
 * its spans as a waterfall with the log lines written under each span.
 */
import { serviceLogLine } from './log-line.js';
import { describeRead, isTraceId, search, skippedNotes } from './search.js';
import type { SearchResult } from './search.js';
import { renderTraces } from './waterfall.js';

/** A command's outcome: what to print on stdout and stderr, and the exit code. */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The exit code and messages when the search read no file at all (shared by every command). */
export function noFiles(paths: readonly string[]): CommandResult {
  return { code: 1, stdout: '', stderr: `periscope: no span or log files found in ${paths.join(', ')}\n` };
}

/** The text of `periscope trace` for a search's result. */
export function traceText(id: string, result: SearchResult): { found: boolean; text: string } {
  const requestId = isTraceId(id) ? undefined : id;
  if (result.spans.length > 0) return { found: true, text: renderTraces(result.spans, result.logs, requestId) };
  if (result.logs.length > 0) return { found: true, text: [`no spans found for ${id}; its log lines:`, ...result.logs.map((l) => `  ${serviceLogLine(l)}`), ''].join('\n') };
  return { found: false, text: `nothing found for ${requestId === undefined ? 'trace' : 'request'} ${id} ${describeRead(result)}\n` };
}

/** Runs `periscope trace` for `id` over `paths`. */
export async function traceCommand(id: string, paths: readonly string[]): Promise<CommandResult> {
  const result = await search(id, paths);
  if (result.files.length === 0) return noFiles(paths);
  const { found, text } = traceText(id, result);
  const notes = skippedNotes(result);
  return found ? { code: 0, stdout: text, stderr: notes } : { code: 1, stdout: '', stderr: notes + text };
}
