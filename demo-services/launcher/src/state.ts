/**
 * The stack's state file (`<stateDir>/stack.json`): the launcher's PID, the URLs it serves, and
 * the process groups it started. `npm run fault` reads the admin URLs from it; a new launcher uses
 * it to stop what a launcher that died without cleaning up left behind.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isAlive, signalGroup } from './child.ts';

/** What the state file holds. */
export interface StackState {
  launcherPid: number;
  startedAt: string;
  urls: Record<string, string>;
  adminUrls: Record<string, string>;
  /** Running children: name → PID (also the process group ID) and the program it runs. */
  children: Record<string, { pid: number; command: string }>;
}

/** Path of the state file in `stateDir`. */
export function stateFile(stateDir: string): string {
  return path.join(stateDir, 'stack.json');
}

/** Reads the state file, or `undefined` when there is none (or it is unreadable). */
export function readStackState(stateDir: string): StackState | undefined {
  try {
    return JSON.parse(readFileSync(stateFile(stateDir), 'utf8')) as StackState;
  } catch {
    return undefined;
  }
}

export function writeStackState(stateDir: string, state: StackState): void {
  writeFileSync(stateFile(stateDir), `${JSON.stringify(state, null, 2)}\n`);
}

export function removeStackState(stateDir: string): void {
  rmSync(stateFile(stateDir), { force: true });
}

/**
 * Before a start: refuses when another live launcher owns `stateDir`; otherwise stops the
 * children a dead launcher left running (only those whose command line still matches, so a
 * recycled PID is never touched) and returns their names.
 */
export function reapLeftovers(stateDir: string): string[] {
  const previous = readStackState(stateDir);
  if (!previous) return [];
  if (previous.launcherPid !== process.pid && isAlive(previous.launcherPid) && isLauncher(previous.launcherPid)) {
    throw new Error(
      `a demo stack (launcher PID ${previous.launcherPid}) is already running with state in ${stateDir}: stop it first (Ctrl-C in its terminal, or kill ${previous.launcherPid})`,
    );
  }
  const reaped: string[] = [];
  for (const [name, { pid, command }] of Object.entries(previous.children)) {
    if (isAlive(pid) && commandLine(pid).includes(command)) {
      signalGroup(pid, 'SIGKILL');
      reaped.push(name);
    }
  }
  removeStackState(stateDir);
  return reaped;
}

function commandLine(pid: number): string {
  const file = `/proc/${pid}/cmdline`;
  return existsSync(file) ? readFileSync(file, 'utf8').split('\0').join(' ') : '';
}

function isLauncher(pid: number): boolean {
  const cmd = commandLine(pid);
  // Without /proc we cannot tell: assume it is one rather than start a second stack on top.
  return cmd === '' || cmd.includes('node');
}
