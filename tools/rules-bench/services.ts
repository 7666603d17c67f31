/**
 * Synthetic services shaped like the demo's: a few routes × methods × status codes on the server
 * duration histogram, two label sets of outbound calls on the client histogram, a day-long swing
 * in traffic, a little 4xx and 5xx, and a latency tail. Every counter is a pure function of time
 * since the start of the history (T0), so the backfilled history and the live exposition are one
 * continuous series with no reset between them.
 */
import { DURATION_BUCKETS, LABEL, UNMATCHED_ROUTE } from '@periscope/instrument/contract';

/** One label set of a duration histogram, with its share of the service's traffic and its latency. */
export interface LabelSet {
  readonly labels: Readonly<Record<string, string>>;
  /** Events per second at the day's average. */
  readonly rate: number;
  /** Median duration in seconds; durations are log-normal with `SIGMA`. */
  readonly median: number;
}

export interface SyntheticService {
  readonly job: string;
  readonly team: string;
  readonly index: number;
  /** Inbound requests per second at the day's average. */
  readonly rate: number;
  /** The day's swing starts at a different hour per service. */
  readonly phase: number;
  readonly server: readonly LabelSet[];
  readonly client: readonly LabelSet[];
}

/** Spread of the log-normal durations: a p99 about 6.4 × the median. */
export const SIGMA = 0.8;
/** Traffic swings ±40 % over a day. */
export const SWING = 0.4;
const DAY = 86_400;

/** Routes each service answers: method, route template, share of traffic, median seconds, statuses and their shares. */
const ROUTES = [
  { method: 'GET', route: '/items', share: 0.45, median: 0.03, statuses: { '200': 0.9995, '500': 0.0005 } },
  { method: 'GET', route: '/items/:id', share: 0.3, median: 0.015, statuses: { '200': 0.9695, '404': 0.03, '500': 0.0005 } },
  { method: 'POST', route: '/items', share: 0.12, median: 0.06, statuses: { '201': 0.9795, '400': 0.02, '500': 0.0005 } },
  { method: 'DELETE', route: '/items/:id', share: 0.08, median: 0.04, statuses: { '204': 0.9795, '404': 0.02, '500': 0.0005 } },
  { method: 'GET', route: UNMATCHED_ROUTE, share: 0.05, median: 0.002, statuses: { '404': 1 } },
] as const;

/** One service in this many fails 2 % of its requests (pages on availability); the next one is slow (pages on latency). */
export const BURNING_EVERY = 50;

/** Server and client label sets of one service (12 and 2). */
export function makeService(index: number, total: number): SyntheticService {
  const job = `svc-${String(index).padStart(3, '0')}`;
  const rate = 2 + ((index * 37) % 49); // 2 … 50 requests per second
  const failing = index % BURNING_EVERY === 7;
  const slow = index % BURNING_EVERY === 8;
  const server = ROUTES.flatMap((r) =>
    Object.entries(r.statuses).map(([status, share]) => {
      const errorShare = failing && status === '500' && r.route === '/items' ? 0.02 : share;
      return {
        labels: { [LABEL.method]: r.method, [LABEL.route]: r.route, [LABEL.status]: status },
        rate: rate * r.share * errorShare,
        median: slow ? r.median * 8 : r.median,
      };
    }),
  );
  const dependency = `svc-${String((index + 1) % Math.max(total, 1)).padStart(3, '0')}:8080`;
  const calls = rate * 0.3;
  const client = [
    { labels: { [LABEL.method]: 'GET', [LABEL.serverAddress]: dependency, [LABEL.status]: '200' }, rate: calls * 0.9998, median: 0.01 },
    { labels: { [LABEL.method]: 'GET', [LABEL.serverAddress]: dependency, [LABEL.status]: '500' }, rate: calls * 0.0002, median: 0.01 },
  ];
  return { job, team: `team-${String(index % 12).padStart(2, '0')}`, index, rate, phase: (index % 24) * 3_600, server, client };
}

export function makeServices(count: number): SyntheticService[] {
  return Array.from({ length: count }, (_, i) => makeService(i, count));
}

/** Φ(x), the standard normal CDF (Abramowitz–Stegun 7.1.26, error < 1.5e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-z * z);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** Share of events no slower than `le` seconds for a log-normal with this median. */
export function shareWithin(le: number, median: number): number {
  return normalCdf(Math.log(le / median) / SIGMA);
}

/** Mean duration of the log-normal: median × e^(σ²/2). */
export function meanDuration(median: number): number {
  return median * Math.exp((SIGMA * SIGMA) / 2);
}

/**
 * Events of a label set up to `t` (Unix seconds), from T0: the integral of
 * rate × (1 + SWING × sin(2π(t + phase)/day)). Increasing in t, since the rate stays above 0.
 */
export function eventsUntil(rate: number, t: number, t0: number, phase: number): number {
  const w = (2 * Math.PI) / DAY;
  const swing = ((SWING * rate) / w) * (Math.cos(w * (t0 + phase)) - Math.cos(w * (t + phase)));
  return rate * (t - t0) + swing;
}

/** The cumulative values of one label set at `t`: bucket counts (per `le`, ending with +Inf), count and sum. */
export function histogramAt(set: LabelSet, t: number, t0: number, phase: number): { buckets: [string, number][]; count: number; sum: number } {
  const events = eventsUntil(set.rate, t, t0, phase);
  const count = Math.floor(events);
  const buckets: [string, number][] = DURATION_BUCKETS.map((le) => [String(le), Math.floor(events * shareWithin(le, set.median))]);
  buckets.push(['+Inf', count]);
  return { buckets, count, sum: Number((events * meanDuration(set.median)).toFixed(3)) };
}
