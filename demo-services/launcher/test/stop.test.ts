// `npm run demo` stops cleanly when its top process — the npm a user started — gets SIGINT,
// SIGTERM or SIGHUP: the chain npm → scripts/run.mjs → npm run → sh → node demo.ts passes the
// signal on, and the demo stops every process it started, within 10 s, freeing every port.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive, signalGroup } from '../src/child.ts';
import { REPO_ROOT } from '../src/paths.ts';
import { readStackState } from '../src/state.ts';
import { waitUntil } from '../src/wait.ts';

const PORTS_ANY = Object.fromEntries(
  ['FRONTEND_PORT', 'USERS_PORT', 'THOUGHTS_PORT', 'PROMETHEUS_PORT', 'ALERTMANAGER_PORT', 'NODE_EXPORTER_PORT', 'RECEIVER_PORT'].map((name) => [name, '0']),
);

let npm: ChildProcess | undefined;
let dir: string | undefined;
let pids: number[] = [];
afterEach(() => {
  // Whatever a failed run left: each process and its group (run.mjs and the demo start groups of their own).
  for (const pid of [...(npm?.pid ? [npm.pid] : []), ...pids].filter(isAlive)) signalGroup(pid, 'SIGKILL');
  pids = [];
  if (dir) rmSync(dir, { recursive: true, force: true });
  npm = undefined;
  dir = undefined;
});

/** Every process below `pid` (children, grandchildren, …), from ps. */
function descendants(pid: number): number[] {
  const table = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
  const found: number[] = [];
  const visit = (parent: number) => {
    for (const [child, ppid] of table) {
      if (ppid === parent && !found.includes(child)) {
        found.push(child);
        visit(child);
      }
    }
  };
  visit(pid);
  return found;
}

/** True when nothing accepts connections on `port` of 127.0.0.1. */
const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });

describe('npm run demo', () => {
  // SIGTERM takes SIGINT's path (npm forwards both); SIGHUP npm does not forward: run.mjs sees its parent go.
  it.each(['SIGINT', 'SIGHUP'] as const)('stops every process it started within 10 s when npm alone gets %s', async (signal) => {
    dir = mkdtempSync(path.join(tmpdir(), 'periscope-stop-'));
    const stateDir = path.join(dir, 'state');
    let output = '';
    // As a user starts it: the system's npm, its own process group (like a terminal's job).
    npm = spawn('npm', ['run', 'demo', '--', '--rate', '5'], {
      cwd: REPO_ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PATH: process.env.PATH!.split(':').filter((p) => !p.includes('node_modules')).join(':'), ...PORTS_ANY, PERISCOPE_DEMO_STATE_DIR: stateDir },
    });
    npm.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    npm.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitUntil(() => output.includes('Periscope demo is up'), {
      timeoutMs: 100_000,
      intervalMs: 500,
      describe: () => `no banner; output:\n${output}`,
      abort: () => {
        if (npm!.exitCode !== null) throw new Error(`npm run demo exited with ${npm!.exitCode} before the banner; output:\n${output}`);
      },
    });

    const state = readStackState(stateDir)!;
    pids = [...new Set([...descendants(npm.pid!), ...Object.values(state.children).map((c) => c.pid)])];
    const ports = Object.values(state.urls).map((url) => Number(new URL(url).port));
    expect(pids.length).toBeGreaterThanOrEqual(10); // npm, sh, run.mjs, npm, sh, demo, 3 services, loadgen, Prometheus, …
    const started = Date.now();
    process.kill(npm.pid!, signal);
    await waitUntil(async () => pids.every((pid) => !isAlive(pid)) && (await Promise.all(ports.map(portFree))).every(Boolean), {
      timeoutMs: 10_000,
      intervalMs: 100,
      describe: () => `still alive: ${pids.filter(isAlive).join(', ')}; output:\n${output.split('\n').slice(-15).join('\n')}`,
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(output).toMatch(/SIG(INT|TERM|HUP): stopping every process the demo started/);
    expect(output).not.toMatch(/EBADENGINE|npm warn/i);
  }, 150_000);
});
