/** Debian's node exporter, started by a test on a free loopback port. */
import { startLoopbackServer } from './process.ts';
import type { LoopbackServer } from './process.ts';

/** Starts `prometheus-node-exporter` and resolves once `/metrics` answers 200. */
export function startNodeExporter(): Promise<LoopbackServer> {
  return startLoopbackServer('prometheus-node-exporter', (port) => [`--web.listen-address=127.0.0.1:${port}`], '/metrics');
}
