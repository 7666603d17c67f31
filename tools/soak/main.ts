// `npm run soak -- [--duration 10m] [--rate 40] [--out .periscope/soak]`: the fault soak (issue 16).
// Prints progress, then the report's Markdown; writes report.json and report.md; exits 1 when a
// target is missed, 2 on bad arguments.
import { parseArgs, USAGE } from './args.ts';
import type { SoakArgs } from './args.ts';
import { writeReport } from './report.ts';
import { runSoak, stopEverything } from './run.ts';

let args: SoakArgs;
try {
  if (process.argv.includes('--help')) {
    console.log(USAGE);
    process.exit(0);
  }
  args = parseArgs(process.argv.slice(2));
} catch (err) {
  console.error(`soak: ${(err as Error).message}`);
  process.exit(2);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`soak: ${signal}: stopping what the soak started`);
    void stopEverything().finally(() => process.exit(130));
  });
}

const started = Date.now();
const report = await runSoak(args, (line) => console.log(line));
report.wallSeconds = Math.round((Date.now() - started) / 1000);
const md = writeReport(args.outDir, report);
console.log(`\n${md}`);
console.log(`soak: report written to ${args.outDir}/report.{json,md}`);
process.exit(report.passed ? 0 : 1);
