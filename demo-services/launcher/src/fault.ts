// `npm run fault -- users --error-rate 0.5`: changes a running demo service's faults through its admin API.
import path from 'node:path';
import { SERVICE_PORTS, LOOPBACK, portFromEnv } from '../../shared/src/topology.ts';
import type { ServiceName } from '../../shared/src/topology.ts';
import { FAULT_USAGE, parseFaultArgs, wantsHelp } from './fault-args.ts';
import type { FaultCommand } from './fault-args.ts';
import { clearFaults, getFaults, setFaults } from './fault-client.ts';
import { DEFAULT_STATE_DIR } from './paths.ts';
import { readStackState } from './state.ts';

/** The admin URL of `service`: from the running stack's state file, else from the environment/defaults. */
function adminUrl(service: ServiceName, stateDir: string): string {
  const fromState = readStackState(stateDir)?.adminUrls[service];
  if (fromState) return fromState;
  const { adminPort, adminPortEnv } = SERVICE_PORTS[service];
  return `http://${LOOPBACK}:${portFromEnv(adminPortEnv, adminPort)}`;
}

if (wantsHelp(process.argv.slice(2))) {
  console.log(FAULT_USAGE);
  process.exit(0);
}
let command: FaultCommand;
try {
  command = parseFaultArgs(process.argv.slice(2));
} catch (err) {
  console.error(`fault: ${(err as Error).message}\n\n${FAULT_USAGE}`);
  process.exit(2);
}
const url = adminUrl(command.service, path.resolve(command.stateDir ?? DEFAULT_STATE_DIR));
try {
  let answer = command.clear ? await clearFaults(url) : undefined;
  if (Object.keys(command.change).length > 0) answer = await setFaults(url, command.change);
  answer ??= await getFaults(url);
  console.log(`${command.service}: ${answer.summary}`);
} catch (err) {
  console.error(`fault: ${command.service}: ${(err as Error).message}`);
  process.exit(1);
}
