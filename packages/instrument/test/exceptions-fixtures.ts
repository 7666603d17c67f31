/**
 * Runs the crash fixtures: child processes that execute the package's TypeScript source through
 * fixtures/crash-ts-hooks.mjs, with their stdout and stderr collected and their exit awaited.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));

/** Absolute path of a file in test/fixtures. */
export function fixture(name: string): string {
  return join(here, 'fixtures', name);
}

/** How a child process ended and what it wrote. */
export interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout's JSON lines, parsed (other lines skipped). */
  lines: Record<string, any>[];
}

/** Options of {@link runNode}. */
export interface RunOptions {
  nodeArgs?: string[];
  env?: Record<string, string>;
  cwd?: string;
  timeoutMs?: number;
  /** Load the package's TypeScript source (crash-ts-hooks.mjs). Default true; false runs as a user would, on the build. */
  source?: boolean;
}

/** Runs `script` with Node (`nodeArgs` before it, `args` after it); killed after `timeoutMs`. */
export function runNode(script: string, args: string[] = [], options: RunOptions = {}): Promise<ChildRun> {
  const nodeArgs = [...(options.source === false ? [] : ['--import', fixture('crash-ts-hooks.mjs')]), ...(options.nodeArgs ?? [])];
  const child = spawn(process.execPath, [...nodeArgs, script, ...args], {
    cwd: options.cwd ?? process.cwd(),
    env: { ...process.env, NODE_OPTIONS: '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} ${args.join(' ')} did not exit within ${options.timeoutMs ?? 15_000} ms; stderr: ${stderr}`));
    }, options.timeoutMs ?? 15_000);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const lines = stdout.split('\n').flatMap((l) => {
        try {
          return l.startsWith('{') ? [JSON.parse(l) as Record<string, any>] : [];
        } catch {
          return [];
        }
      });
      resolve({ code, signal, stdout, stderr, lines });
    });
  });
}

/** The run's one fatal line (found among its lines, which the thread pool may have reordered); fails the test unless there is exactly one. */
export function onlyFatal(run: ChildRun): Record<string, any> {
  const fatal = run.lines.filter((l) => l.level === 'fatal');
  expect(fatal).toHaveLength(1);
  return fatal[0]!;
}
