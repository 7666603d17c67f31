#!/usr/bin/env node
/**
 * The `periscope` command line. `periscope trace <request-id | trace-id> [paths...]`.
 */
import { DEFAULT_PATHS, findTrace } from './trace-command.js';

const USAGE = `usage: periscope trace <request-id | trace-id> [path ...]

Prints a request's path through every service: spans (from OTLP JSON lines files) as a
waterfall, with the log lines (JSON lines files) written under each span.

  <request-id>   the X-Request-ID of the request (response header, error body, log line)
  <trace-id>     32 lowercase hex digits
  path           files or directories to read (default: ${DEFAULT_PATHS.join(' ')})

Exit status: 0 found, 1 nothing found, 2 usage error.
`;

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function main(argv: readonly string[], out: (s: string) => void = (s) => process.stdout.write(s), err: (s: string) => void = (s) => process.stderr.write(s)): Promise<number> {
  const [command, id, ...paths] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    out(USAGE);
    return 0;
  }
  if (command !== 'trace' || !id || id.startsWith('-')) {
    err(USAGE);
    return 2;
  }
  const result = await findTrace(id, paths.length > 0 ? paths : DEFAULT_PATHS);
  if (result.files.length === 0) {
    err(`periscope: no span or log files found in ${(paths.length > 0 ? paths : DEFAULT_PATHS).join(', ')}\n`);
    return 1;
  }
  if (result.spans.length === 0 && result.logs.length === 0) {
    err(result.text);
    return 1;
  }
  out(result.text);
  return 0;
}

// Run when executed as the bin (CommonJS build); importing the module runs nothing.
if (typeof require !== 'undefined' && require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      process.stderr.write(`periscope: ${(e as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
