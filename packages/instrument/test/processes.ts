/**
 * Child processes for tests: services started with `fork` (they report their port over IPC), and
 * a real Prometheus from the Debian package on a free loopback port (the alerts' loopback-server
 * helper starts it).
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLoopbackServer } from '../../../alerts/lib/process.ts';

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

export { freePort } from '../../../alerts/lib/process.ts';

/** A running Prometheus. */
export interface Prometheus {
  url: string;
  stop(): Promise<void>;
}

/** Starts Prometheus (exemplar storage on) scraping `targets` every second, on a free port. */
export async function startPrometheus(targets: string[]): Promise<Prometheus> {
  const server = await startLoopbackServer('prometheus', (port, dataDir) => {
    const config = join(dataDir, 'prometheus.yml');
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
    return [`--config.file=${config}`, `--storage.tsdb.path=${join(dataDir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--enable-feature=exemplar-storage'];
  });
  return { url: server.base, stop: () => server.stop() };
}
