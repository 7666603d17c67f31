/** Polling for tests: wait until a probe yields a value, for a bounded time. */

/** What a probe returns while the awaited thing is not there yet. */
type NotYet = undefined | false;

/**
 * Calls `probe` every `intervalMs` until it returns a value other than `undefined` or `false`
 * (a probe that throws counts as "not yet"), and resolves with that value. Rejects with an error
 * naming `what` once `timeoutMs` has passed.
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | NotYet | Promise<T | NotYet>,
  timeoutMs = 20_000,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await Promise.resolve().then(probe).catch(() => undefined);
    if (value !== undefined && value !== false) return value as T;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
