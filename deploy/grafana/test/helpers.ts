/**
 * Test helpers: the generated dashboards, and a real Prometheus (with a given scrape config) and
 * node exporter on free loopback ports, started with the alerts' loopback-server helper.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLoopbackServer } from '../../../alerts/lib/process.ts';
import type { LoopbackServer } from '../../../alerts/lib/process.ts';
import { buildAll } from '../src/dashboards/index.ts';
import type { DashboardJson } from '../src/adapter/types.ts';

/** Every generated dashboard, built once per test file. */
export const dashboards: readonly DashboardJson[] = [...buildAll().values()];

/** Polls `check` every 200 ms until it returns true, at most `timeoutMs`. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** A server process started by a test. */
export interface Running {
  readonly url: string;
  stop(): Promise<void>;
}

const running = (server: LoopbackServer): Running => ({ url: server.base, stop: () => server.stop() });

/** Starts the system's node exporter on a free port and waits until it serves /metrics. */
export async function startNodeExporter(): Promise<Running> {
  return running(await startLoopbackServer('prometheus-node-exporter', (port) => [`--web.listen-address=127.0.0.1:${port}`], '/metrics'));
}

/** Starts the system's Prometheus with `config` (YAML) on a free port and waits until it is ready. */
export async function startPrometheus(config: string): Promise<Running> {
  const server = await startLoopbackServer('prometheus', (port, dataDir) => {
    writeFileSync(join(dataDir, 'prometheus.yml'), config);
    return [`--config.file=${join(dataDir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dataDir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'];
  });
  return running(server);
}
