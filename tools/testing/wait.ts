/**
 * Polling for tests: wait until a probe yields a value, for a bounded time. The loop is the
 * launcher's (`@periscope-demo/launcher/wait`); this keeps the short call the tests use.
 */
import { waitUntil } from '@periscope-demo/launcher/wait';

/**
 * Calls `probe` every `intervalMs` until it returns a value other than `undefined` or `false`
 * (a probe that throws counts as "not yet"), and resolves with that value. Rejects with an error
 * naming `what` once `timeoutMs` has passed.
 */
export function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 20_000,
  intervalMs = 200,
): Promise<T> {
  return waitUntil(probe, { timeoutMs, intervalMs, describe: () => `waiting for ${what}` });
}
