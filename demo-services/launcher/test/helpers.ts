/** Test helpers of the launcher's tests. */
import { startStack } from '../src/stack.ts';
import type { Stack } from '../src/stack.ts';

/**
 * The demo's three services on free ports, without Prometheus, Alertmanager, the node exporter
 * or (unless `loadRate` is given) the load generator; state, logs and spans in `stateDir`.
 */
export function startServices(stateDir: string, loadRate?: number): Promise<Stack> {
  return startStack({
    ports: { frontend: 0, users: 0, thoughts: 0 },
    load: loadRate === undefined ? false : { rate: loadRate },
    prometheus: false,
    alertmanager: false,
    nodeExporter: false,
    stateDir,
    quiet: true,
    installMissing: false,
  });
}
