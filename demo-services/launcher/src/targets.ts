/** Readiness of the stack as Prometheus sees it: every job the stack runs has its targets up. */
import { activeTargets } from './prometheus-api.ts';
import type { PromTarget } from './prometheus-api.ts';
import { waitUntil } from './wait.ts';

/**
 * Polls Prometheus at `base` until each of `jobs` has at least one target and all of them are up;
 * resolves to every active target. The timeout error names the targets that are not up and why.
 */
export async function waitForTargetsUp(base: string, jobs: readonly string[], timeoutMs: number): Promise<PromTarget[]> {
  let last: PromTarget[] = [];
  return waitUntil(
    async () => {
      last = await activeTargets(base);
      const ours = last.filter((t) => jobs.includes(t.job));
      return jobs.every((job) => ours.some((t) => t.job === job)) && ours.every((t) => t.health === 'up') ? last : undefined;
    },
    {
      timeoutMs,
      intervalMs: 500,
      describe: () =>
        `Prometheus targets not up: ${
          last
            .filter((t) => jobs.includes(t.job) && t.health !== 'up')
            .map((t) => `${t.job} (${t.health}${t.lastError ? `: ${t.lastError}` : ''})`)
            .join(', ') || 'none reported yet'
        }`,
    },
  );
}
