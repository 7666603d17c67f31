/**
 * The SLIs in PromQL, generic over services: the share of a service's requests that went bad
 * because of the service itself, over a window, for every `job` that emits the contract's
 * duration histograms at once. The burn-rate rules record these, and the SLO dashboard reads the
 * same building blocks, so what it shows is what pages.
 *
 * A latency SLI's threshold differs per service; it travels as the `le` label of the service's
 * objective series (SLO_SERIES.objective{sli="latency"}), and the bucket with that boundary is
 * picked by matching on (job, le) — one expression for every service and threshold.
 */
import { LABEL, METRIC } from '@periscope/instrument/contract';
import { SLO_LABEL, SLO_SERIES } from '@periscope/stack';
import type { Sli } from '@periscope/stack';

/** Labels the recorded SLIs keep: the service, and its team when the target carries one. */
export const SLI_BY = Object.freeze(['job', 'team'] as const);
const BY = SLI_BY.join(', ');

/** A selector's matchers joined with an optional extra selector (e.g. `namespace="prod"`). */
function matchers(selector: string, ...more: string[]): string {
  const all = [selector, ...more].filter((m) => m !== '').join(', ');
  return all === '' ? '' : `{${all}}`;
}

/** `sum by (job, team) (rate(<series>{…}[window]))`. */
function rate(series: string, selector: string, window: string, ...more: string[]): string {
  return `sum by (${BY}) (rate(${series}${matchers(selector, ...more)}[${window}]))`;
}

/** The objective series of a service's latency SLI, whose `le` label is its threshold. */
export function latencyObjective(extra = ''): string {
  return `${SLO_SERIES.objective}${matchers(`${SLO_LABEL.sli}="latency"`, extra)}`;
}

/**
 * Requests (or calls) of `histogram` no slower than each service's latency threshold, per second.
 * Prometheus 3 writes integer bucket boundaries as "1.0" where prom-client writes "1": the
 * boundary is brought to prom-client's spelling before it is matched with the objective's `le`.
 */
export function withinThreshold(histogram: string, selector: string, window: string): string {
  const buckets = `sum by (${BY}, le) (rate(${histogram}_bucket${matchers(selector)}[${window}]))`;
  const spelled = `label_replace(${buckets}, "le", "$1", "le", "(.+)\\\\.0")`;
  return `sum by (${BY}) (\n      ${spelled}\n      and on (job, le)\n      ${latencyObjective()}\n    )`;
}

/** All inbound requests of every service per second over `window`. */
export function requests(selector: string, window: string): string {
  return rate(`${METRIC.serverDuration}_count`, selector, window);
}

/** Bad inbound requests and bad outbound calls of an SLI per second (each may be absent). */
function badEvents(sli: Sli, selector: string, window: string): { inbound: string; outbound: string } {
  const server = METRIC.serverDuration;
  const client = METRIC.clientDuration;
  if (sli === 'availability') {
    return {
      inbound: rate(`${server}_count`, selector, window, `${LABEL.status}=~"5.."`),
      // a call that got no answer has no status code
      outbound: rate(`${client}_count`, selector, window, `${LABEL.status}=~"5..|"`),
    };
  }
  return {
    inbound: `${requests(selector, window)}\n    -\n    ${withinThreshold(server, selector, window)}`,
    outbound: `${rate(`${client}_count`, selector, window)}\n    -\n    ${withinThreshold(client, selector, window)}`,
  };
}

/**
 * The share of requests that went bad because of the service itself, over a window. A request
 * that failed (or was slow) only because one of the service's own outbound calls failed (or was
 * slow) is the dependency's bad event, counted in the dependency's SLI; so the bad outbound calls
 * (5xx, no answer at all, or slower than the service's latency threshold) are subtracted from the
 * bad inbound requests, never below zero. A caller therefore does not burn budget, nor page, for
 * a fault in a service it calls. NaN without traffic (0/0); 0 for traffic with nothing bad yet.
 */
export function ownErrorRatio(sli: Sli, selector: string, window: string): string {
  const all = requests(selector, window);
  const zero = `${all} * 0`; // traffic without a series of this kind yet: 0 rather than nothing
  const { inbound, outbound } = badEvents(sli, selector, window);
  return `clamp_min(\n  (\n    ${inbound}\n    or\n    ${zero}\n  )\n  -\n  (\n    ${outbound}\n    or\n    ${zero}\n  ),\n  0\n)\n/\n${all}\n`;
}
