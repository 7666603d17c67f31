/**
 * Process supervision for the stack: starts a process from its spec and waits until it answers,
 * stops it on purpose (a clean exit is not reported), reports unexpected exits with the output
 * that explains them, and keeps the state file that lets a later launcher clean up after a crash.
 */
import { describeExit, signalGroup, spawnChild } from './child.ts';
import type { Child } from './child.ts';
import { COMPONENTS } from './components.ts';
import type { ComponentName } from './components.ts';
import { REPO_ROOT } from './paths.ts';
import type { ProcessName, ProcessSpec } from './process-specs.ts';
import { readStackState, removeStackState, writeStackState } from './state.ts';
import { answersOk, waitUntil } from './wait.ts';

/** Exit codes of a clean stop: 0, none (killed by the signal), or 128+SIGTERM/SIGINT as reported through the sh watchdog. */
const STOPPED_CODES: ReadonlyArray<number | null> = [0, null, 143, 130];

/** What the supervisor needs from the stack. */
export interface SupervisorOptions {
  specs: ReadonlyMap<ProcessName, ProcessSpec>;
  /** Processes that watch the launcher themselves (the others get a watchdog). */
  watchParent: readonly ProcessName[];
  stateDir: string;
  urls: Readonly<Record<string, string>>;
  adminUrls: Readonly<Record<string, string>>;
  say: (line: string) => void;
}

/** The processes of one stack. */
export interface Supervisor {
  /** Starts `name` (no-op when running) and waits until its ready URL answers. */
  start(name: ProcessName): Promise<void>;
  /** Stops `name` on purpose; reports an unclean exit. */
  stop(name: ProcessName): Promise<void>;
  isRunning(name: ProcessName): boolean;
  /** PIDs of every process started so far, running or not. */
  pids(): number[];
  /** Forgets the exit hook and removes the state file (after every process is stopped). */
  close(): void;
}

/** Creates the supervisor; until {@link Supervisor.close}, a launcher exit kills every child. */
export function createSupervisor(options: SupervisorOptions): Supervisor {
  const { specs, stateDir, say } = options;
  const running = new Map<ProcessName, Child>();
  const intentional = new WeakSet<Child>(); // children being stopped on purpose
  const startingUp = new WeakSet<Child>(); // children whose failure start() reports itself
  const started: number[] = [];
  const saveState = () =>
    writeStackState(stateDir, {
      launcherPid: process.pid,
      startedAt: new Date().toISOString(),
      urls: { ...options.urls },
      adminUrls: { ...options.adminUrls },
      children: Object.fromEntries([...running].map(([name, child]) => [name, { pid: child.pid, command: specs.get(name)!.args[0] ?? specs.get(name)!.command }])),
    });
  const removeOwnState = () => {
    if (readStackState(stateDir)?.launcherPid === process.pid) removeStackState(stateDir);
  };
  // Last resort when the launcher exits without stop() (e.g. a second Ctrl-C during start-up).
  const killAllNow = () => {
    for (const child of running.values()) signalGroup(child.pid, 'SIGKILL');
    removeOwnState();
  };
  process.on('exit', killAllNow);

  async function start(name: ProcessName): Promise<void> {
    const spec = specs.get(name);
    if (!spec) throw new Error(`${name} is not part of this stack`);
    if (running.get(name)?.running) return;
    const child = await spawnChild({
      name,
      command: spec.command,
      args: spec.args,
      env: spec.env,
      cwd: REPO_ROOT,
      onLine: spec.onLine,
      logFile: spec.outputFile,
      logCap: spec.outputCap,
      exitWithParent: options.watchParent.includes(name) ? undefined : process.pid,
    });
    running.set(name, child);
    started.push(child.pid);
    saveState();
    void child.exited.then((exit) => {
      if (!intentional.has(child) && !startingUp.has(child)) say(`${spec.label} ${describeExit(exit)} unexpectedly${tail(child)}`);
    });
    if (!spec.readyUrl) return;
    const readyUrl = spec.readyUrl;
    startingUp.add(child);
    await waitUntil(() => answersOk(readyUrl), {
      timeoutMs: 30_000,
      describe: () => `${spec.label} did not answer ${readyUrl}${tail(child)}`,
      abort: () => {
        if (!child.running) throw new Error(`${spec.label} stopped while starting${tail(child)}`);
      },
    });
    startingUp.delete(child);
  }

  async function stop(name: ProcessName): Promise<void> {
    const child = running.get(name);
    if (!child) return;
    intentional.add(child);
    const wasRunning = child.running;
    const exit = await child.stop();
    running.delete(name);
    saveState();
    if (wasRunning && !STOPPED_CODES.includes(exit.code) && name !== 'loadgen') say(`${processLabel(name)} ${describeExit(exit)} while stopping`);
  }

  return {
    start,
    stop,
    isRunning: (name) => running.has(name),
    pids: () => [...started],
    close: () => {
      process.off('exit', killAllNow);
      removeOwnState();
    },
  };
}

/** Human name of a process, e.g. `node exporter`. */
export function processLabel(name: string): string {
  return name in COMPONENTS ? COMPONENTS[name as ComponentName].label : name;
}

/** The child's output that explains a failure: its error lines if it logged any, else its last lines. */
function tail(child: Child): string {
  const recent = child.recentOutput();
  const errors = recent.filter((line) => /level=(error|fatal)|"level":"(error|fatal)"|\berror\b/i.test(line)).slice(-8);
  const lines = errors.length > 0 ? errors : recent.slice(-15);
  return lines.length > 0 ? `; its ${errors.length > 0 ? 'errors' : 'last output'}:\n  ${lines.join('\n  ')}` : '';
}
