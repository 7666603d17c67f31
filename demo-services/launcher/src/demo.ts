// `npm run demo`: the whole local stack in the foreground; Ctrl-C (or SIGINT, SIGTERM, SIGHUP)
// stops every process it started.
//   npm run demo [-- --rate 20] [-- --no-load] [-- --verbose] [-- --max-disk 200MB]
import { banner } from './banner.ts';
import { displayPath } from './paths.ts';
import { DEMO_USAGE, parseDemoArgs } from './demo-args.ts';
import type { DemoOptions } from './demo-args.ts';
import { startStack } from './stack.ts';
import type { Stack } from './stack.ts';
import { probeWebUis } from './web-uis.ts';

function options(): DemoOptions {
  try {
    const parsed = parseDemoArgs(process.argv.slice(2));
    if (parsed === 'help') {
      console.log(DEMO_USAGE);
      process.exit(0);
    }
    return parsed;
  } catch (err) {
    console.error(`demo: ${(err as Error).message}\n\n${DEMO_USAGE}`);
    process.exit(2);
  }
}

const { rate, load, verbose, maxDiskMb, stateDir } = options();
let stack: Stack | undefined;
let stopping = false;
const shutdown = (signal: string): void => {
  if (stopping) {
    console.log('Stopping now.');
    process.exit(130); // the stack's exit hook kills whatever is still running
  }
  stopping = true;
  if (!stack) process.exit(130);
  console.log(`\n${signal}: stopping every process the demo started …`);
  stack.stop().then(
    () => {
      console.log(`Stopped. Logs and Prometheus data stay in ${displayPath(stack!.stateDir)}/.`);
      process.exit(0);
    },
    (err: unknown) => {
      console.error(`demo: stopping failed: ${(err as Error).message}`);
      process.exit(1);
    },
  );
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => shutdown(signal));

try {
  stack = await startStack({ load: load ? { rate } : false, echoServiceLogs: verbose, maxDiskMb, stateDir });
} catch (err) {
  console.error(`\ndemo: ${(err as Error).message}`);
  process.exit(1);
}
for (const line of banner(stack, await probeWebUis(stack.urls), maxDiskMb)) console.log(line);
