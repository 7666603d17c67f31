/**
 * `npm run fault -- <service> [--error-rate 0.5] [--latency 200ms] [--block 50ms] [--slow-pool 500ms] [--clear]`
 * parsed into a service name and the change to send to its admin API.
 */
import { parseArgs } from 'node:util';
import { parseDurationMs, parseLatency } from '../../shared/src/duration.ts';
import type { FaultState } from '../../shared/src/faults.ts';
import { SERVICE_NAMES } from '../../shared/src/topology.ts';
import type { ServiceName } from '../../shared/src/topology.ts';

export const FAULT_USAGE = `usage: npm run fault -- <service> [options]
  <service>             ${SERVICE_NAMES.join(' | ')}
  --error-rate <0..1>   answer this share of requests with a 500
  --latency <spec>      add latency: 200ms | 100ms-400ms | normal:200ms,50ms | exp:150ms | off
  --block <duration>    block the event loop this long on every request (0 = off)
  --slow-pool <dur>     make every search-pool task this much slower (thoughts only; 0 = off)
  --clear               switch every fault off first
  --state-dir <dir>     the demo's state folder (default .periscope/)
  --help                print this
With no fault option it shows the service's faults.`;

/** True when the arguments ask for the usage (`--help` or `-h`, anywhere before a `--`). */
export function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

/** A parsed fault command. */
export interface FaultCommand {
  service: ServiceName;
  clear: boolean;
  change: Partial<FaultState>;
  stateDir?: string;
}

/** Parses the fault CLI's arguments; throws `Error` with a message fit for the user. */
export function parseFaultArgs(argv: readonly string[]): FaultCommand {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      'error-rate': { type: 'string' },
      latency: { type: 'string' },
      block: { type: 'string' },
      'slow-pool': { type: 'string' },
      clear: { type: 'boolean', default: false },
      'state-dir': { type: 'string' },
    },
  });
  const [service, ...extra] = positionals;
  if (!service) throw new Error('name the service to change');
  if (!(SERVICE_NAMES as readonly string[]).includes(service)) throw new Error(`unknown service "${service}": expected ${SERVICE_NAMES.join(', ')}`);
  if (extra.length > 0) throw new Error(`unexpected argument "${extra[0]}"`);
  const change: Partial<FaultState> = {};
  if (values['error-rate'] !== undefined) {
    const rate = Number(values['error-rate']);
    if (values['error-rate'].trim() === '' || !(rate >= 0 && rate <= 1)) throw new Error(`--error-rate must be a number from 0 to 1, got "${values['error-rate']}"`);
    change.errorRate = rate;
  }
  if (values.latency !== undefined) change.latency = ['off', '0', 'none'].includes(values.latency) ? null : parseLatency(values.latency, '--latency');
  if (values.block !== undefined) change.blockMs = parseDurationMs(values.block, '--block');
  if (values['slow-pool'] !== undefined) change.slowPoolMs = parseDurationMs(values['slow-pool'], '--slow-pool');
  return { service: service as ServiceName, clear: values.clear ?? false, change, stateDir: values['state-dir'] };
}
