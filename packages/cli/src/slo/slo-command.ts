/**
 * `periscope slo rules|check [options] <file|folder>...`: reads a team's OpenSLO files and writes
 * the objective rules the shipped SLO rules pick up (or only checks the files).
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FORMATS, renderObjectiveRules } from './objective-rules.js';
import type { Format } from './objective-rules.js';
import { SloSpecError, checkUnique, parseOpenSlo } from './openslo.js';
import type { DeclaredObjective } from './openslo.js';

/** What a command run printed and its exit code. */
export interface SloCommandResult {
  code: number;
  stdout?: string;
  stderr?: string;
}

export const SLO_USAGE = `usage: periscope slo rules [--format prometheus|prometheus-rule] [--name NAME] [--namespace NS] [--output FILE] <file | folder> ...
       periscope slo check <file | folder> ...

Reads OpenSLO v1 files (kind: SLO, indicatorRef periscope-availability or periscope-latency;
a folder: its *.yaml and *.yml files) and writes the objective rules that Periscope's SLO rules
use instead of their defaults for those services.

  rules        print (or --output) the rules: a Prometheus rules file, or a PrometheusRule
  check        only validate the files
  --format     prometheus (default) or prometheus-rule (Prometheus Operator)
  --name       metadata.name of the PrometheusRule (default periscope-slo-objectives)
  --namespace  metadata.namespace of the PrometheusRule

Exit status: 0 done, 1 a file is invalid or unreadable, 2 usage error.
`;

const SUBCOMMANDS = ['rules', 'check'] as const;

/** The files named on the command line: files as given, folders expanded to their YAML files. */
function specFiles(paths: readonly string[]): string[] {
  return paths.flatMap((path) => {
    if (!statSync(path).isDirectory()) return [path];
    return readdirSync(path)
      .filter((name) => /\.ya?ml$/.test(name))
      .sort()
      .map((name) => join(path, name));
  });
}

function readObjectives(files: readonly string[]): DeclaredObjective[] {
  const objectives = files.flatMap((file) => parseOpenSlo(readFileSync(file, 'utf8'), file));
  checkUnique(objectives);
  return objectives;
}

/** Runs `periscope slo …` with the arguments after `slo`. */
export function sloCommand(argv: readonly string[]): SloCommandResult {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h') return sub === undefined ? { code: 2, stderr: `periscope slo: a subcommand is required\n\n${SLO_USAGE}` } : { code: 0, stdout: SLO_USAGE };
  if (!(SUBCOMMANDS as readonly string[]).includes(sub)) return { code: 2, stderr: `periscope slo: unknown subcommand "${sub}" - expected "rules" or "check"\n\n${SLO_USAGE}` };
  let values: { format?: string; name?: string; namespace?: string; output?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...rest],
      options: { format: { type: 'string' }, name: { type: 'string' }, namespace: { type: 'string' }, output: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    }));
  } catch (err) {
    return { code: 2, stderr: `periscope slo ${sub}: ${(err as Error).message}\n\n${SLO_USAGE}` };
  }
  if (values.help) return { code: 0, stdout: SLO_USAGE };
  const format = (values.format ?? 'prometheus') as Format;
  if (!FORMATS.includes(format)) return { code: 2, stderr: `periscope slo ${sub}: --format "${values.format}" - expected ${FORMATS.join(' or ')}\n` };
  if (positionals.length === 0) return { code: 2, stderr: `periscope slo ${sub}: at least one OpenSLO file or folder is required\n\n${SLO_USAGE}` };
  let objectives: DeclaredObjective[];
  let files: string[];
  try {
    files = specFiles(positionals);
    objectives = readObjectives(files);
  } catch (err) {
    const message = err instanceof SloSpecError ? err.message : `cannot read ${(err as NodeJS.ErrnoException).path ?? 'a file'}: ${(err as Error).message}`;
    return { code: 1, stderr: `periscope slo ${sub}: ${message}\n` };
  }
  if (sub === 'check') return { code: 0, stdout: `${objectives.length} objective${objectives.length === 1 ? '' : 's'} in ${files.length} file${files.length === 1 ? '' : 's'}: valid\n` };
  const text = renderObjectiveRules(objectives, { format, sources: files, ...(values.name ? { name: values.name } : {}), ...(values.namespace ? { namespace: values.namespace } : {}) });
  if (values.output === undefined) return { code: 0, stdout: text };
  writeFileSync(values.output, text);
  return { code: 0, stderr: `wrote ${objectives.length} objectives to ${values.output}\n` };
}
