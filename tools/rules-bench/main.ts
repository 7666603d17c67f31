// `npm run bench:rules -- [--services 3,30,300] [--minutes 4] [--step 900] [--out .periscope/rules-bench]`:
// rule evaluation of the shipped alerts/*.rules.yml on a real Prometheus for N synthetic services,
// the sizes one after another. Prints progress and the tables; writes report.{json,md}.
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import { writeReport } from './report.ts';
import { RULE_SETS, runSize, stopEverything } from './run.ts';
import type { RuleSet, SizeResult } from './run.ts';
import { REPO_ROOT } from './setup.ts';

const USAGE = 'usage: npm run bench:rules -- [--services 3,30,300] [--minutes 4] [--step 900] [--rules generic|per-service] [--out DIR]';

function positive(value: string, option: string): number {
  const v = Number(value);
  if (!Number.isInteger(v) || v <= 0) {
    console.error(`rules-bench: --${option}: got "${value}" - expected a positive whole number\n${USAGE}`);
    process.exit(2);
  }
  return v;
}

const { values } = parseArgs({
  options: {
    services: { type: 'string', default: '3,30,300' },
    minutes: { type: 'string', default: '4' },
    step: { type: 'string', default: '900' },
    rules: { type: 'string', default: 'generic' },
    out: { type: 'string' },
    help: { type: 'boolean' },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const sizes = values.services.split(',').map((s) => positive(s, 'services'));
const minutes = positive(values.minutes, 'minutes');
const step = positive(values.step, 'step');
const rules = values.rules as RuleSet;
if (!RULE_SETS.includes(rules)) {
  console.error(`rules-bench: --rules: got "${values.rules}" - expected ${RULE_SETS.join(' or ')}\n${USAGE}`);
  process.exit(2);
}
const out = values.out ?? join(REPO_ROOT, '.periscope/rules-bench', rules);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`rules-bench: ${signal}: stopping what the benchmark started`);
    void stopEverything().finally(() => process.exit(130));
  });
}

const prometheus = execFileSync('prometheus', ['--version'], { encoding: 'utf8' }).split('\n')[0]!.replace(/^prometheus, version (\S+).*$/, 'Prometheus $1');
const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, ${prometheus}`;
const results: SizeResult[] = [];
for (const services of sizes) {
  results.push(await runSize({ services, minutes, step, rules, log: (line) => console.log(line) }));
  console.log(`  done in ${results.at(-1)!.wallSeconds.toFixed(0)} s`);
}
const md = writeReport(out, { date: new Date().toISOString().slice(0, 10), machine, rules, minutes, step, sizes: results });
console.log(`\n${md}\nrules-bench: report written to ${out}/report.{json,md}`);
