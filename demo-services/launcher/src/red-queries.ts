/**
 * The RED panels of the services overview as plain PromQL, one series per service, for the
 * Prometheus graph links the banner prints where there is no Grafana. Built from the contract's
 * names; the same definitions as the dashboards (a request is an error when its status is 5xx).
 */
import { LABEL, METRIC } from '@periscope/instrument/contract';
import { SERVICE_NAMES } from '../../shared/src/topology.ts';

const COUNT = `${METRIC.serverDuration}_count`;
const BUCKET = `${METRIC.serverDuration}_bucket`;
/** The demo's services (their Prometheus job is their name). */
const SERVICES = `job=~"${SERVICE_NAMES.join('|')}"`;
const WINDOW = '1m';

/** One RED panel: its name, the short path the receiver redirects to its graph, and its PromQL. */
export interface RedPanel {
  name: string;
  /** `/graph/<slug>` on the alert receiver redirects to the Prometheus graph of `expr`. */
  slug: string;
  expr: string;
}

/** Rate, error ratio and p99 latency per service. */
export const RED_PANELS: readonly RedPanel[] = Object.freeze([
  { name: 'rate (req/s)', slug: 'rate', expr: `sum by (job) (rate(${COUNT}{${SERVICES}}[${WINDOW}]))` },
  {
    name: 'error ratio',
    slug: 'errors',
    expr: `sum by (job) (rate(${COUNT}{${SERVICES},${LABEL.status}=~"5.."}[${WINDOW}])) / sum by (job) (rate(${COUNT}{${SERVICES}}[${WINDOW}]))`,
  },
  { name: 'p99 (seconds)', slug: 'p99', expr: `histogram_quantile(0.99, sum by (job, le) (rate(${BUCKET}{${SERVICES}}[${WINDOW}])))` },
]);

/**
 * A link to Prometheus' graph page (`graphPath`: `/classic/graph` or `/graph`) showing `expr` over
 * 15 minutes. These run to 300–480 characters; the banner prints the receiver's short path instead.
 */
export function graphUrl(prometheus: string, graphPath: string, expr: string): string {
  const query = new URLSearchParams({ 'g0.expr': expr, 'g0.tab': '0', 'g0.range_input': '15m' });
  return `${prometheus}${graphPath}?${query.toString()}`;
}
