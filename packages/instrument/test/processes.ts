/**
 * Services started with `fork` for the package's tests (they report their port over IPC). Real
 * servers (Prometheus, a free port) come from tools/testing/.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { stopProcess } from '../../../tools/testing/process.ts';

/** A started child service. */
export interface Child {
  proc: ChildProcess;
  port: number;
  base: string;
  stop(): Promise<void>;
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
    stop: () => stopProcess(proc, 10_000),
  };
}
