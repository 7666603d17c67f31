/** Starts a real server (Prometheus, Alertmanager) on a free loopback port for a test, and stops it. */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A free TCP port on 127.0.0.1 (bound to port 0, read, released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface RunningServer {
  readonly child: ChildProcess;
  /** Everything the process wrote so far (stdout and stderr), for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** Spawns a server and resolves once `readyUrl` answers 200; rejects (and stops it) after `timeoutMs`. */
export async function startServer(command: string, args: readonly string[], readyUrl: string, timeoutMs = 20_000): Promise<RunningServer> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const server: RunningServer = {
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && child.exitCode === null) {
    const ok = await fetch(readyUrl).then((r) => r.ok, () => false);
    if (ok) return server;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await server.stop();
  throw new Error(`${command} was not ready at ${readyUrl} within ${timeoutMs}ms:\n${output.slice(-2000)}`);
}

export interface LoopbackServer {
  /** http://127.0.0.1:<port> */
  readonly base: string;
  readonly server: RunningServer;
  /** Stops the server and deletes its data folder. */
  stop(): Promise<void>;
}

/**
 * Starts a Prometheus-style server on a free loopback port with a fresh data folder:
 * `args(port, dataDir)` builds its flags; ready when `GET <base><readyPath>` answers 200.
 */
export async function startLoopbackServer(
  command: string,
  args: (port: number, dataDir: string) => readonly string[],
  readyPath = '/-/ready',
): Promise<LoopbackServer> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), `periscope-${command}-`));
  const base = `http://127.0.0.1:${port}`;
  try {
    const server = await startServer(command, args(port, dataDir), `${base}${readyPath}`);
    return {
      base,
      server,
      stop: async () => {
        await server.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
