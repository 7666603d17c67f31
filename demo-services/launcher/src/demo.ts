// `npm run demo`: the whole local stack in the foreground; Ctrl-C (or SIGINT, SIGTERM, SIGHUP)
// stops every process it started.
//   npm run demo [-- --rate 20] [-- --no-load] [-- --verbose] [-- --max-disk 200MB]
import { parseArgs } from 'node:util';
import { banner } from './banner.ts';
import { displayPath } from './paths.ts';
import { FOOTPRINT_ENV, footprintMb, planFootprint } from './footprint.ts';
import { startStack } from './stack.ts';
import type { Stack } from './stack.ts';
import { probeWebUis } from './web-uis.ts';

const USAGE = `usage: npm run demo [-- options]
  --rate <n>     loadgen requests per second (default 20, env LOADGEN_RATE)
  --no-load      do not start loadgen
  --verbose      also print every JSON log line of the services
  --max-disk <size>  cap on everything the demo keeps in its state folder: logs, spans, Prometheus
                 data (default 200MB, env ${FOOTPRINT_ENV}; at least 20MB)
  --state-dir <dir>  where logs, spans, configs and data go (default .periscope/, env PERISCOPE_DEMO_STATE_DIR)
Ports: FRONTEND_PORT USERS_PORT THOUGHTS_PORT PROMETHEUS_PORT ALERTMANAGER_PORT NODE_EXPORTER_PORT RECEIVER_PORT
       (and FRONTEND_ADMIN_PORT USERS_ADMIN_PORT THOUGHTS_ADMIN_PORT); 0 = any free port.`;

interface DemoOptions {
  rate: number;
  load: boolean;
  verbose: boolean;
  maxDiskMb: number;
  stateDir: string | undefined;
}

function options(): DemoOptions {
  try {
    const { values } = parseArgs({
      args: process.argv.slice(2),
      strict: true,
      options: {
        rate: { type: 'string' },
        'no-load': { type: 'boolean' },
        verbose: { type: 'boolean' },
        'max-disk': { type: 'string' },
        'state-dir': { type: 'string' },
        help: { type: 'boolean' },
      },
    });
    if (values.help) {
      console.log(USAGE);
      process.exit(0);
    }
    const rate = Number(values.rate ?? process.env.LOADGEN_RATE ?? 20);
    if (!(rate > 0)) throw new Error(`--rate must be a positive number, got "${values.rate}"`);
    const maxDiskMb = footprintMb(values['max-disk']);
    planFootprint(maxDiskMb, 1, 1); // refuses a budget too small before anything starts
    const stateDir = values['state-dir'] ?? (process.env.PERISCOPE_DEMO_STATE_DIR || undefined);
    return { rate, load: !values['no-load'], verbose: values.verbose ?? false, maxDiskMb, stateDir };
  } catch (err) {
    console.error(`demo: ${(err as Error).message}\n\n${USAGE}`);
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
