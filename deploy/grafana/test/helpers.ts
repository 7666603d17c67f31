/**
 * Test helpers: the generated dashboards, a free loopback port, and a real Prometheus started
 * on 127.0.0.1 with a given scrape config (stopped by the caller).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAll } from '../src/dashboards/index.ts';
import type { DashboardJson } from '../src/adapter/types.ts';

/** Every generated dashboard, built once per test file. */
export const dashboards: readonly DashboardJson[] = [...buildAll().values()];

/** A port nothing listens on right now (bind port 0, read it, close). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

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

/** Starts `command` and returns a stop function that waits for it to exit (SIGKILL after 5 s). */
function launch(command: string, args: string[]): { child: ChildProcess; stderr: () => string; kill: () => Promise<void> } {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  return { child, stderr: () => stderr, kill };
}

/** Starts the system's node exporter on a free port and waits until it serves /metrics. */
export async function startNodeExporter(): Promise<Running> {
  const port = await freePort();
  const { stderr, kill } = launch('prometheus-node-exporter', [`--web.listen-address=127.0.0.1:${port}`]);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor('node exporter to serve /metrics', async () => (await fetch(`${url}/metrics`)).ok);
  } catch (error) {
    await kill();
    throw new Error(`${(error as Error).message}; node exporter said: ${stderr()}`);
  }
  return { url, stop: kill };
}

/** Starts the system's Prometheus with `config` (YAML) on a free port and waits until it is ready. */
export async function startPrometheus(config: string): Promise<Running> {
  const dir = mkdtempSync(join(tmpdir(), 'periscope-grafana-prom-'));
  writeFileSync(join(dir, 'prometheus.yml'), config);
  const port = await freePort();
  const { stderr, kill } = launch('prometheus', [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
  ]);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await kill();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor('prometheus to be ready', async () => (await fetch(`${url}/-/ready`)).ok);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}; prometheus said: ${stderr()}`);
  }
  return { url, stop };
}
