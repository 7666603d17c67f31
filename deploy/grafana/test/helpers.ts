/** Test helpers: the generated dashboards, built once per test file, and a service outside the demo. */
import { fileURLToPath } from 'node:url';
import { buildAll } from '../src/dashboards/index.ts';
import type { DashboardJson } from '../src/adapter/types.ts';
import { LOOPBACK, freePort, startServer } from '../../../tools/testing/process.ts';

/** Every generated dashboard, built once per test file. */
export const dashboards: readonly DashboardJson[] = [...buildAll().values()];

const OUTSIDE_APP = fileURLToPath(new URL('./fixtures/outside-service.ts', import.meta.url));

/** A running service of test/fixtures/outside-service.ts, under load from this process. */
export interface OutsideService {
  /** Where it serves its API and /metrics. */
  readonly hostPort: string;
  /** Stops the load, waits for the requests in flight, then ends the process. */
  stop(): Promise<void>;
}

/**
 * Starts the outside service as `service` on a free loopback port and sends it `perSecond`
 * requests a second: one in 25 fails (503), one in 25 is slow (0.6 s), the rest answer at once.
 */
export async function startOutsideService(service: string, perSecond = 20): Promise<OutsideService> {
  const port = await freePort();
  const hostPort = `${LOOPBACK}:${port}`;
  const server = await startServer(process.execPath, [OUTSIDE_APP, String(port), service], `http://${hostPort}/healthz`);
  const inFlight = new Set<Promise<unknown>>();
  let sent = 0;
  const timer = setInterval(() => {
    sent += 1;
    const query = sent % 25 === 0 ? '?fail' : sent % 25 === 12 ? '?slow' : '';
    const request = fetch(`http://${hostPort}/invoices/${sent}${query}`).then((r) => r.arrayBuffer(), () => undefined);
    inFlight.add(request);
    void request.finally(() => inFlight.delete(request));
  }, 1000 / perSecond);
  return {
    hostPort,
    stop: async () => {
      clearInterval(timer);
      await Promise.all(inFlight);
      await server.stop();
    },
  };
}
