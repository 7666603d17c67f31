/**
 * The `periscope` command line: `periscope trace …` and `periscope logs …`.
 */
import { parseArgs } from 'node:util';
import { ENV } from '@periscope/instrument/contract';
import { logsCommand } from './logs-command.js';
import { sloCommand } from './slo/slo-command.js';
import { DEFAULT_PATHS } from './search.js';
import { traceCommand } from './trace-command.js';
import type { CommandResult } from './trace-command.js';

const USAGE = `usage: periscope trace <request-id | trace-id> [path ...]
       periscope logs [--json] <request-id | trace-id> [path ...]
       periscope slo rules|check [options] <openslo file | folder> ...
       periscope <command> --help

Follows one request through every service, from the files the services write
(${ENV.spansFile}: spans as OTLP JSON lines; ${ENV.logFile}: JSON log lines).

commands:
  trace   the request's spans as a waterfall, with the log lines written under each span
  logs    the request's log lines from every service, in time order
  slo     turn a team's OpenSLO files into the objective rules Periscope's SLO alerts use
          (periscope slo --help)

  <request-id>   the X-Request-ID of the request (response header, error body, log line)
  <trace-id>     32 lowercase hex digits
  path           files or directories to read (default: ${DEFAULT_PATHS.join(' ')});
                 a file's rotations (<file>.1, <file>.2, ...) are read too, oldest first
  --json         logs: print the lines as JSON, one per line
  --             ends the options (for a request ID that starts with "-")

Exit status: 0 found, 1 nothing found, 2 usage error.
`;

const COMMANDS = ['trace', 'logs'] as const;
type Command = (typeof COMMANDS)[number];

type Parsed = { command: Command; id: string; paths: string[]; json: boolean } | { help: true } | { error: string };

/** Parses `argv` (after `periscope`). */
export function parseCommandLine(argv: readonly string[]): Parsed {
  const [command, ...rest] = argv;
  if (command === undefined) return { error: 'a command is required' };
  if (command === '--help' || command === '-h' || command === 'help') return { help: true };
  const name = COMMANDS.find((c) => c === command);
  if (name === undefined) return { error: `unknown command "${command}" - expected "trace", "logs" or "slo"` };
  let values: { help?: boolean; json?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: [...rest], options: { help: { type: 'boolean', short: 'h' }, json: { type: 'boolean' } }, allowPositionals: true, strict: true }));
  } catch (err) {
    return { error: (err as Error).message };
  }
  if (values.help) return { help: true };
  if (values.json && name !== 'logs') return { error: `${name}: unknown option '--json'` };
  const [id, ...paths] = positionals;
  if (id === undefined || id === '') return { error: `${name}: a request ID or trace ID is required` };
  return { command: name, id, paths, json: values.json === true };
}

async function run(parsed: Extract<Parsed, { command: string }>): Promise<CommandResult> {
  const paths = parsed.paths.length > 0 ? parsed.paths : DEFAULT_PATHS;
  return parsed.command === 'trace' ? traceCommand(parsed.id, paths) : logsCommand(parsed.id, paths, parsed.json);
}

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function main(argv: readonly string[], out: (s: string) => void = (s) => process.stdout.write(s), err: (s: string) => void = (s) => process.stderr.write(s)): Promise<number> {
  if (argv[0] === 'slo') {
    const result = sloCommand(argv.slice(1));
    if (result.stdout) out(result.stdout);
    if (result.stderr) err(result.stderr);
    return result.code;
  }
  const parsed = parseCommandLine(argv);
  if ('help' in parsed) {
    out(USAGE);
    return 0;
  }
  if ('error' in parsed) {
    err(`periscope: ${parsed.error}\n\n${USAGE}`);
    return 2;
  }
  const result = await run(parsed);
  if (result.stdout) out(result.stdout);
  if (result.stderr) err(result.stderr);
  return result.code;
}
