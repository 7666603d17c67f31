/**
 * Child processes for tests: services started with `fork` (they report their port over IPC), and
 * a real Prometheus from the Debian package on a free loopback port.
 */
import { fork, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { waitFor } from './helpers.js';

/** A started child service. */
export interface Child {
  proc: ChildProcess;
  port: number;
  base: string;
  stop(): Promise<void>;
}

function exited(proc: ChildProcess, timeoutMs = 10_000): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      resolve();
    }, timeoutMs);
    proc.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Forks `script` with `env` and waits for it to report its port. */
export async function startService(script: string, env: Record<string, string>, cwd: string): Promise<Child> {
  const proc = fork(script, [], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not report a port within 15 s`)), 15_000);
    proc.once('message', (m) => {
      clearTimeout(timer);
      resolve((m as { port: number }).port);
    });
    proc.once('exit', (code) => reject(new Error(`${script} exited with ${code} before listening`)));
  });
  return {
    proc,
    port,
    base: `http://127.0.0.1:${port}`,
    async stop() {
      proc.kill('SIGTERM');
      await exited(proc);
    },
  };
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** A running Prometheus. */
export interface Prometheus {
  url: string;
  stop(): Promise<void>;
  query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
}

/** Starts Prometheus (exemplar storage on) scraping `targets` every second, data in `dir`. */
export async function startPrometheus(dir: string, targets: string[]): Promise<Prometheus> {
  const port = await freePort();
  const config = join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    [
      'global: { scrape_interval: 1s, evaluation_interval: 1s }',
      'scrape_configs:',
      '  - job_name: app',
      `    static_configs: [{ targets: [${targets.map((t) => `"${t}"`).join(', ')}] }]`,
      '',
    ].join('\n'),
  );
  const proc = spawn(
    'prometheus',
    [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--enable-feature=exemplar-storage'],
    { stdio: 'ignore' },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${url}/-/ready`).catch(() => undefined))?.ok, 30_000, 'Prometheus to be ready');
  return {
    url,
    async stop() {
      proc.kill('SIGTERM');
      await exited(proc);
    },
    async query(expr) {
      const body = (await (await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`)).json()) as { data: { result: [] } };
      return body.data.result;
    },
  };
}
