/**
 * Run-time faults a demo service can be told to inject: an error rate, added latency, event-loop
 * blocking and a slow pool. All are off until the admin API (127.0.0.1 only) switches them on.
 * They apply inside each route ({@link applyFaultsInRoutes}), so an injected 500 is counted under
 * the route it was sent to, as a real failure of that route would be.
 */
import type { Express, NextFunction, Request, Response } from 'express';
import { HEALTH_PATH, METRICS_PATH } from '@periscope/instrument/contract';
import { formatLatency, sampleLatency, validateLatency } from './duration.ts';
import type { LatencySpec } from './duration.ts';
import { sendError } from './http-errors.ts';

/** The faults in force. */
export interface FaultState {
  /** Share of requests (0–1) answered with a 500 before the route's own handler runs. */
  errorRate: number;
  /** Delay added before each request, or `null`. */
  latency: LatencySpec | null;
  /** Milliseconds the event loop is blocked (synchronously) on each request. */
  blockMs: number;
  /** Milliseconds added to each unit of work of the service's pool (services without a pool ignore it). */
  slowPoolMs: number;
}

/** The state with every fault off. */
export const NO_FAULTS: Readonly<FaultState> = Object.freeze({ errorRate: 0, latency: null, blockMs: 0, slowPoolMs: 0 });

/** The longest block or latency the admin API accepts, so a typo cannot hang a service for hours. */
export const MAX_FAULT_MS = 60_000;

/** A holder of the current faults, with the middleware that applies them. */
export interface Faults {
  /** A copy of the faults in force. */
  get(): FaultState;
  /** Merges a partial change (already validated) and returns the new state. */
  set(change: Partial<FaultState>): FaultState;
  /** Switches every fault off. */
  clear(): FaultState;
  /** Express middleware applying block, latency and error rate (health and metrics paths are exempt). */
  middleware(): (req: Request, res: Response, next: NextFunction) => void;
}

/** Creates the fault holder of one service. `random` is injectable for tests. */
export function createFaults(random: () => number = Math.random): Faults {
  let state: FaultState = { ...NO_FAULTS };
  const exempt = new Set<string>([HEALTH_PATH.liveness, HEALTH_PATH.readiness, METRICS_PATH]);
  return {
    get: () => ({ ...state }),
    set(change) {
      state = { ...state, ...change };
      return { ...state };
    },
    clear() {
      state = { ...NO_FAULTS };
      return { ...state };
    },
    middleware() {
      return (req, res, next) => {
        if (exempt.has(req.path)) return next();
        const { blockMs, latency, errorRate } = state;
        if (blockMs > 0) blockEventLoop(blockMs);
        const delay = latency ? sampleLatency(latency, random) : 0;
        const proceed = (): void => {
          if (errorRate > 0 && random() < errorRate) {
            sendError(res, 500, 'injected fault: error rate');
            return;
          }
          next();
        };
        if (delay > 0) setTimeout(proceed, delay);
        else proceed();
      };
    },
  };
}

/** The route methods the demo services use; each gets the faults as its first handler. */
const ROUTE_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

type RouteAdder = (...handlers: unknown[]) => unknown;

/**
 * Makes every route declared on `app` from now on (`app.get(path, …)`, `app.post`, … and
 * `app.route(path).get(…)`) run the faults' middleware first, inside the matched route — so the
 * instrumentation has learned the route template before an injected 500 is answered. Requests
 * that match no route (404s) get no fault.
 */
export function applyFaultsInRoutes(app: Express, faults: Faults): void {
  const handler = faults.middleware();
  const route = app.route.bind(app);
  app.route = ((path: Parameters<Express['route']>[0]) => {
    const created = route(path) as unknown as Record<(typeof ROUTE_METHODS)[number], RouteAdder>;
    for (const method of ROUTE_METHODS) {
      const add = created[method].bind(created);
      created[method] = (...handlers: unknown[]) => add(handler, ...handlers);
    }
    return created;
  }) as unknown as Express['route'];
}

/** Keeps the calling thread busy for `ms` milliseconds (the event-loop blocking fault). */
export function blockEventLoop(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // Busy on purpose: this is the fault.
  }
}

/**
 * Validates a change sent to the admin API (`{ errorRate?, latency?, blockMs?, slowPoolMs? }`,
 * `latency` as a string like "200ms" or a spec object, `null` to switch it off). Throws `Error`
 * naming the field and the value received.
 */
export function parseFaultChange(body: unknown): Partial<FaultState> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new Error(`expected a JSON object like {"errorRate":0.5}, got ${JSON.stringify(body)}`);
  }
  const input = body as Record<string, unknown>;
  const known = new Set(['errorRate', 'latency', 'blockMs', 'slowPoolMs']);
  const unknown = Object.keys(input).filter((key) => !known.has(key));
  if (unknown.length > 0) throw new Error(`unknown fault ${unknown.map((k) => `"${k}"`).join(', ')}: expected ${[...known].join(', ')}`);
  const change: Partial<FaultState> = {};
  if ('errorRate' in input) {
    const rate = input.errorRate;
    if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) {
      throw new Error(`errorRate must be a number from 0 to 1, got ${JSON.stringify(rate)}`);
    }
    change.errorRate = rate;
  }
  if ('latency' in input) change.latency = input.latency === null ? null : validateLatency(input.latency);
  for (const key of ['blockMs', 'slowPoolMs'] as const) {
    if (!(key in input)) continue;
    const ms = input[key];
    if (typeof ms !== 'number' || !(ms >= 0 && ms <= MAX_FAULT_MS)) {
      throw new Error(`${key} must be a number of milliseconds from 0 to ${MAX_FAULT_MS}, got ${JSON.stringify(ms)}`);
    }
    change[key] = ms;
  }
  return change;
}

/** One-line summary of a fault state, e.g. `error rate 0.5, latency 200ms`, or `no faults`. */
export function describeFaults(state: FaultState): string {
  const parts: string[] = [];
  if (state.errorRate > 0) parts.push(`error rate ${state.errorRate}`);
  if (state.latency) parts.push(`latency ${formatLatency(state.latency)}`);
  if (state.blockMs > 0) parts.push(`event-loop block ${state.blockMs}ms per request`);
  if (state.slowPoolMs > 0) parts.push(`slow pool +${state.slowPoolMs}ms per task`);
  return parts.length > 0 ? parts.join(', ') : 'no faults';
}
