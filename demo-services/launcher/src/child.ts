/**
 * Child processes of the stack. Each runs in its own process group (so Ctrl-C in the terminal
 * reaches only the launcher, which then stops each group in order), its output is split into
 * lines for a callback and optionally appended to a size-capped, rotated log file, and the last
 * lines are kept to explain an early exit.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { openCappedFile } from './capped-file.ts';
import type { CappedFile } from './capped-file.ts';
import type { FileCap } from './footprint.ts';

/** Options of {@link spawnChild}. */
export interface ChildOptions {
  /** Name used in messages. */
  name: string;
  command: string;
  args: readonly string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Receives each output line (stdout and stderr). */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Appends the raw output to this file. */
  logFile?: string;
  /** Size cap and rotation of `logFile`. Default {@link DEFAULT_LOG_CAP}. */
  logCap?: FileCap;
  /**
   * Stop the child when the process with this PID is gone, even if it was killed outright and
   * could not stop anything (a small `sh` watchdog runs the program and polls once a second).
   */
  exitWithParent?: number;
}

/** The watchdog: runs "$@", forwards SIGTERM/SIGINT, and stops it once $WATCH_PID is gone. */
const WATCHDOG = `"$@" &
child=$!
trap 'kill -TERM $child 2>/dev/null' TERM INT
while kill -0 "$WATCH_PID" 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 1 & wait $!; done
kill -TERM $child 2>/dev/null
wait $child`;

/** How a child ended. */
export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all. */
  error?: Error;
}

/** A started child. */
export interface Child {
  readonly name: string;
  readonly pid: number;
  /** True until the process has exited. */
  readonly running: boolean;
  /** Resolves when the process has exited. */
  readonly exited: Promise<ChildExit>;
  /** The last lines of its output (for error messages). */
  recentOutput(): string[];
  /** SIGTERM to its process group, SIGKILL after `graceMs`; resolves when it has exited. */
  stop(graceMs?: number): Promise<ChildExit>;
}

const RECENT_LINES = 40;

/** The cap of a child's log file when none is given: 10 MiB, two rotated files. */
export const DEFAULT_LOG_CAP: Readonly<FileCap> = Object.freeze({ maxBytes: 10 * 1024 * 1024, maxFiles: 2 });

/** Starts a child in a new process group. Resolves once the process exists (rejects if it cannot start). */
export async function spawnChild(options: ChildOptions): Promise<Child> {
  const watched = options.exitWithParent !== undefined;
  const command = watched ? '/bin/sh' : options.command;
  const args = watched ? ['-c', WATCHDOG, 'periscope-watchdog', options.command, ...options.args] : options.args;
  const env = { ...(options.env ?? process.env), ...(watched ? { WATCH_PID: String(options.exitWithParent) } : {}) };
  const proc: ChildProcess = spawn(command, args, {
    cwd: options.cwd,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    proc.once('spawn', resolve);
    proc.once('error', reject);
  });
  const pid = proc.pid!;
  const recent: string[] = [];
  let file: CappedFile | undefined;
  if (options.logFile) file = openCappedFile(options.logFile, options.logCap ?? DEFAULT_LOG_CAP);
  for (const stream of ['stdout', 'stderr'] as const) {
    const source = proc[stream]!;
    const out = file;
    if (out) source.on('data', (chunk: Buffer) => out.write(chunk));
    createInterface({ input: source, crlfDelay: Infinity }).on('line', (line) => {
      recent.push(line);
      if (recent.length > RECENT_LINES) recent.shift();
      options.onLine?.(line, stream);
    });
  }
  let running = true;
  const exited = new Promise<ChildExit>((resolve) => {
    proc.once('error', (error) => {
      running = false;
      resolve({ code: null, signal: null, error });
    });
    proc.once('exit', (code, signal) => {
      running = false;
      resolve({ code, signal });
    });
  });
  // Output may still be flowing after 'exit'; the file closes once both pipes have.
  proc.once('close', () => file?.end());

  return {
    name: options.name,
    pid,
    get running() {
      return running;
    },
    exited,
    recentOutput: () => [...recent],
    async stop(graceMs = 5000) {
      if (running) signalGroup(pid, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), graceMs);
      const result = await exited;
      clearTimeout(timer);
      // The leader is gone; make sure nothing it forked lingers in its group.
      signalGroup(pid, 'SIGKILL');
      return result;
    },
  };
}

/** Sends `signal` to the process group led by `pid`; a group that no longer exists is not an error. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/** True when a process with this PID exists (and is not a zombie we could still reap). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Describes an exit for humans, e.g. `exited with code 1` or `was killed by SIGKILL`. */
export function describeExit(exit: ChildExit): string {
  if (exit.error) return `could not start: ${exit.error.message}`;
  if (exit.signal) return `was stopped by ${exit.signal}`;
  return `exited with code ${exit.code}`;
}
