/**
 * A service outside the demo, started by a test and put under load by it: how the stack's
 * discovery, rules and dashboards are shown to work for any service that installs the package,
 * not only the demo's. The app is fixtures/outside-app.ts; the load decides which requests fail
 * or are slow, so a test can switch a fault on and off.
 */
import { fileURLToPath } from 'node:url';
import { LOOPBACK, freePort, startServer } from './process.ts';

const APP = fileURLToPath(new URL('./fixtures/outside-app.ts', import.meta.url));

/** Which share of the requests fail (503) or are slow, and how slow. */
export interface RequestMix {
  /** Share of requests answered 503, 0–1. */
  readonly failShare?: number;
  /** Share of requests answered after `slowMs`, 0–1. */
  readonly slowShare?: number;
  readonly slowMs?: number;
}

/** A running outside service under load from this process. */
export interface OutsideService {
  /** Where it serves its API and /metrics. */
  readonly hostPort: string;
  /** Changes what the load asks for from the next request on (a fault on, or off with `{}`). */
  setMix(mix: RequestMix): void;
  /** Stops the load, waits for the requests in flight, then ends the process. */
  stop(): Promise<void>;
}

/** Whether request number `n` falls in a share, spread evenly (share 0.04: every 25th). */
function inShare(n: number, share: number, offset: number): boolean {
  return share > 0 && Math.floor((n + offset) * share) !== Math.floor((n + offset - 1) * share);
}

/**
 * Starts the outside app as `service` on a free loopback port and sends it `perSecond` requests a
 * second with the given mix, until `stop()`.
 */
export async function startOutsideService(service: string, options: { perSecond?: number; mix?: RequestMix } = {}): Promise<OutsideService> {
  const port = await freePort();
  const hostPort = `${LOOPBACK}:${port}`;
  const server = await startServer(process.execPath, [APP, String(port), service], `http://${hostPort}/healthz`);
  const inFlight = new Set<Promise<unknown>>();
  let mix: RequestMix = options.mix ?? {};
  let sent = 0;
  const timer = setInterval(() => {
    sent += 1;
    const fail = inShare(sent, mix.failShare ?? 0, 0);
    const slow = !fail && inShare(sent, mix.slowShare ?? 0, 12);
    const query = fail ? '?fail' : slow ? `?slow=${mix.slowMs ?? 600}` : '';
    const request = fetch(`http://${hostPort}/invoices/${sent}${query}`).then((r) => r.arrayBuffer(), () => undefined);
    inFlight.add(request);
    void request.finally(() => inFlight.delete(request));
  }, 1000 / (options.perSecond ?? 20));
  return {
    hostPort,
    setMix: (next) => {
      mix = next;
    },
    stop: async () => {
      clearInterval(timer);
      await Promise.all(inFlight);
      await server.stop();
    },
  };
}
