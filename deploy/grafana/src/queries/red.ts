/**
 * RED of a service (rate, errors, duration) from the contract's server and client duration
 * histograms, for the services overview and the service detail dashboards.
 * A request is an error when its status is 5xx.
 */
import { LABEL, METRIC, UNMATCHED_ROUTE } from '@periscope/instrument/contract';
import { PROM_LABEL, VARIABLE, eq, inService, isVar, orZero, quantile, rate, ratioOrZero, re, sel, sumBy } from './promql.ts';

const SERVER_COUNT = `${METRIC.serverDuration}_count`;
const SERVER_BUCKET = `${METRIC.serverDuration}_bucket`;
const CLIENT_COUNT = `${METRIC.clientDuration}_count`;
const CLIENT_BUCKET = `${METRIC.clientDuration}_bucket`;
const SERVER_ERROR = re(LABEL.status, '5..');

/** Which requests a query looks at: the `$service`, and optionally the routes of `$route`. */
export interface Scope {
  /** Restrict to the routes selected in the `$route` variable. */
  readonly routes?: boolean;
}

function server(scope: Scope, ...more: string[]): string[] {
  return [inService(), ...(scope.routes ? [isVar(LABEL.route, VARIABLE.route)] : []), ...more];
}

/** Requests per second, summed by `by` (e.g. `[LABEL.route]`). */
export function requestRate(scope: Scope, by: readonly string[] = []): string {
  return sumBy(by, rate(sel(SERVER_COUNT, ...server(scope))));
}

/** Share of requests answered with a 5xx status (0 when there are none), by `by`. */
export function errorRatio(scope: Scope, by: readonly string[] = []): string {
  return ratioOrZero(sumBy(by, rate(sel(SERVER_COUNT, ...server(scope, SERVER_ERROR)))), requestRate(scope, by));
}

/** The `q` quantile of request duration (seconds), by `by`. */
export function latency(q: number, scope: Scope, by: readonly string[] = []): string {
  return quantile(q, sel(SERVER_BUCKET, ...server(scope)), by);
}

/** Bucket rates for a latency heatmap (one series per `le`). */
export function latencyBuckets(scope: Scope): string {
  return sumBy([PROM_LABEL.le], rate(sel(SERVER_BUCKET, ...server(scope))));
}

/** Requests per second by status code. */
export function statusCodes(scope: Scope): string {
  return requestRate(scope, [LABEL.status]);
}

/** Requests per second that matched no route (scans, broken links): 0 when there are none. */
export function unmatchedRate(): string {
  return orZero(sumBy([], rate(sel(SERVER_COUNT, inService(), eq(LABEL.route, UNMATCHED_ROUTE)))));
}

/** In-flight requests (saturation of the service), by `by`. */
export function activeRequests(by: readonly string[] = []): string {
  return sumBy(by, sel(METRIC.serverActive, inService()));
}

const client = (...more: string[]) => [inService(), ...more];

/** Calls per second the service makes, by dependency (`server_address`). */
export function dependencyRate(): string {
  return sumBy([LABEL.serverAddress], rate(sel(CLIENT_COUNT, ...client())));
}

/** Share of calls to each dependency answered with a 5xx status (0 when there are none). */
export function dependencyErrorRatio(): string {
  return ratioOrZero(sumBy([LABEL.serverAddress], rate(sel(CLIENT_COUNT, ...client(SERVER_ERROR)))), dependencyRate());
}

/** The `q` quantile of call duration (seconds) by dependency. */
export function dependencyLatency(q: number): string {
  return quantile(q, sel(CLIENT_BUCKET, ...client()), [LABEL.serverAddress]);
}

/** Requests per second of every service, for the overview's comparison graphs. */
export function requestRateByService(): string {
  return sumBy([PROM_LABEL.job], rate(sel(SERVER_COUNT, inService())));
}

/** Error ratio of every service. */
export function errorRatioByService(): string {
  const all = requestRateByService();
  const errors = sumBy([PROM_LABEL.job], rate(sel(SERVER_COUNT, inService(), SERVER_ERROR)));
  return ratioOrZero(errors, all);
}
