// The options of `npm run demo`, parsed and checked before anything starts.
import { parseArgs } from 'node:util';
import { FOOTPRINT_ENV, footprintMb, planFootprint } from './footprint.ts';

/** What `npm run demo -- --help` prints. */
export const DEMO_USAGE = `usage: npm run demo [-- options]
  --rate <n>     loadgen requests per second (default 20, env LOADGEN_RATE)
  --no-load      do not start loadgen
  --verbose      also print every JSON log line of the services
  --max-disk <size>  cap on everything the demo keeps in its state folder: logs, spans, Prometheus
                 data (default 200MB, env ${FOOTPRINT_ENV}; at least 20MB)
  --state-dir <dir>  where logs, spans, configs and data go (default .periscope/, env PERISCOPE_DEMO_STATE_DIR)
Ports: FRONTEND_PORT USERS_PORT THOUGHTS_PORT PROMETHEUS_PORT ALERTMANAGER_PORT NODE_EXPORTER_PORT RECEIVER_PORT
       (and FRONTEND_ADMIN_PORT USERS_ADMIN_PORT THOUGHTS_ADMIN_PORT); 0 = any free port.`;

/** The demo's settings. */
export interface DemoOptions {
  rate: number;
  load: boolean;
  verbose: boolean;
  maxDiskMb: number;
  stateDir: string | undefined;
}

/**
 * Parses `npm run demo` arguments; `'help'` when help was asked for.
 * @throws Error naming the bad option.
 */
export function parseDemoArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): DemoOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
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
  if (values.help) return 'help';
  const rate = Number(values.rate ?? env.LOADGEN_RATE ?? 20);
  if (!(rate > 0)) throw new Error(`--rate must be a positive number, got "${values.rate}"`);
  const maxDiskMb = footprintMb(values['max-disk']);
  planFootprint(maxDiskMb, 1, 1); // refuses a budget too small before anything starts
  const stateDir = values['state-dir'] ?? (env.PERISCOPE_DEMO_STATE_DIR || undefined);
  return { rate, load: !values['no-load'], verbose: values.verbose ?? false, maxDiskMb, stateDir };
}

