// loadgen: a steady, realistic mix of requests against the frontend, with a summary line every
// minute and a line at once when the share of errors or outright failures changes.
//   node demo-services/loadgen/src/main.ts [--rate 20] [--duration 60s] [--count 500] [--target URL] [--every 1m]
import { parseLoadOptions, USAGE } from './options.ts';
import type { LoadOptions } from './options.ts';
import { runLoad } from './run.ts';

let options: LoadOptions;
try {
  options = parseLoadOptions(process.argv.slice(2));
} catch (err) {
  console.error(`loadgen: ${(err as Error).message}\n${USAGE}`);
  process.exit(2);
}
const run = runLoad(options, (line) => console.log(`loadgen: ${line}`));
process.once('SIGINT', () => run.stop());
process.once('SIGTERM', () => run.stop());
await run.done;
