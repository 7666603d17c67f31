/** Debian's Alertmanager, started by a test on a free loopback port, clustering off. */
import { startLoopbackServer } from './process.ts';
import type { LoopbackServer } from './process.ts';

/** Starts `prometheus-alertmanager` with `configFile` and resolves once `/-/ready` answers 200. */
export function startAlertmanager(configFile: string): Promise<LoopbackServer> {
  return startLoopbackServer('prometheus-alertmanager', (port, dataDir) => [
    `--config.file=${configFile}`,
    `--storage.path=${dataDir}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--cluster.listen-address=',
  ]);
}
