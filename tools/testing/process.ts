/**
 * Real servers for tests: a free loopback port, a spawned process that is ready once a URL answers
 * 200, and a stop that always ends it (SIGTERM, then SIGKILL after 5 s).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

/** Loopback address every test server binds to. */
export const LOOPBACK = '127.0.0.1';

/** A free TCP port on 127.0.0.1 (bound to port 0, read, released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A spawned server process. */
export interface RunningProcess {
  readonly child: ChildProcess;
  /** Everything the process wrote so far (stdout and stderr), for failure messages. */
  output(): string;
  /** Ends the process: SIGTERM, then SIGKILL when it has not exited after 5 s. */
  stop(): Promise<void>;
}

/** Ends `child` (SIGTERM, then SIGKILL after `graceMs`) and resolves once it has exited or been killed. */
export async function stopProcess(child: ChildProcess, graceMs = 5_000): Promise<void> {
  const running = () => child.exitCode === null && child.signalCode === null;
  if (!running()) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
  clearTimeout(timer);
  if (running()) {
    child.kill('SIGKILL');
    await exited;
  }
}

/** Spawns a server and resolves once `readyUrl` answers 200; rejects (and stops it) after `timeoutMs` or when it exits. */
export async function startServer(command: string, args: readonly string[], readyUrl: string, timeoutMs = 20_000): Promise<RunningProcess> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));
  const server: RunningProcess = { child, output: () => output, stop: () => stopProcess(child) };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && child.exitCode === null && !spawnError) {
    const ok = await fetch(readyUrl).then((r) => r.ok, () => false);
    if (ok) return server;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await server.stop();
  const why = spawnError ? `could not start: ${spawnError.message}` : `was not ready at ${readyUrl} within ${timeoutMs} ms`;
  throw new Error(`${command} ${why}:\n${output.slice(-2000)}`);
}

/** A server on a loopback port with its own data folder. */
export interface LoopbackServer {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly process: RunningProcess;
  /** Stops the server and deletes its data folder. */
  stop(): Promise<void>;
}

/**
 * Starts a server on a free loopback port with a fresh data folder: `args(port, dataDir)` builds
 * its flags; ready when `GET <url><readyPath>` answers 200.
 */
export async function startLoopbackServer(
  command: string,
  args: (port: number, dataDir: string) => readonly string[],
  readyPath = '/-/ready',
): Promise<LoopbackServer> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), `periscope-${basename(command)}-`));
  const url = `http://${LOOPBACK}:${port}`;
  try {
    const server = await startServer(command, args(port, dataDir), `${url}${readyPath}`);
    return {
      url,
      process: server,
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
