/**
 * Bounded polling: every wait has a deadline and says what it was waiting for. The one polling
 * loop of the repo: the launcher's waits, and the tests' and tools' (tools/testing/wait.ts, through
 * the `@periscope-demo/launcher/wait` export).
 */

/** Options of {@link waitUntil}. */
export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Describes what did not happen, for the timeout error (called at the deadline). */
  describe: () => string;
  /** Checked on every round; throwing ends the wait early (e.g. "the process exited"). */
  abort?: () => void;
}

/** Calls `check` until it returns something other than `undefined`/`false`, or the deadline passes. */
export async function waitUntil<T>(check: () => Promise<T | undefined | false> | T | undefined | false, options: WaitOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    options.abort?.();
    try {
      const result = await check();
      if (result !== undefined && result !== false) return result;
    } catch {
      // not ready yet
    }
    if (Date.now() >= deadline) throw new Error(`timed out after ${formatTimeout(options.timeoutMs)}: ${options.describe()}`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 250));
  }
}

function formatTimeout(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)}s`;
}

/** True when `url` answers 2xx within a second. */
export async function answersOk(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
  await response.body?.cancel();
  return response.ok;
}
