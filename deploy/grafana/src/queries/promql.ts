/**
 * Small PromQL builders shared by the query modules, and the Grafana variables the queries
 * use. Metric and label names come from `@periscope/instrument`; the only names written here
 * are Prometheus's own (`job`, `instance`, `le`) and Grafana's (`$__rate_interval`).
 */

/** Grafana's rate window: at least four scrape intervals, so `rate()` always has two samples. */
export const RATE_INTERVAL = '$__rate_interval';

/** Labels Prometheus itself attaches. */
export const PROM_LABEL = Object.freeze({ job: 'job', instance: 'instance', le: 'le', alertname: 'alertname', alertstate: 'alertstate' } as const);

/** Dashboard variables the queries refer to, by name. */
export const VARIABLE = Object.freeze({ service: 'service', route: 'route', instance: 'instance', node: 'node', search: 'search' } as const);

/** `label="value"` */
export function eq(label: string, value: string): string {
  return `${label}="${value}"`;
}

/** `label!="value"` */
export function ne(label: string, value: string): string {
  return `${label}!="${value}"`;
}

/** `label=~"regex"` */
export function re(label: string, regex: string): string {
  return `${label}=~"${regex}"`;
}

/** `label!~"regex"` */
export function nre(label: string, regex: string): string {
  return `${label}!~"${regex}"`;
}

/** `label=~"$variable"`: matches one, several or all values of a multi-value variable. */
export function isVar(label: string, variable: string): string {
  return re(label, `$${variable}`);
}

/** `metric{m1, m2}`, or the bare name without matchers. */
export function sel(metric: string, ...matchers: readonly string[]): string {
  return matchers.length === 0 ? metric : `${metric}{${matchers.join(', ')}}`;
}

/** `rate(selector[window])`, by default over `$__rate_interval`. */
export function rate(selector: string, window: string = RATE_INTERVAL): string {
  return `rate(${selector}[${window}])`;
}

/** `increase(selector[window])`. */
export function increase(selector: string, window: string): string {
  return `increase(${selector}[${window}])`;
}

/** `sum by (labels) (expr)`; a plain `sum (expr)` without labels. */
export function sumBy(labels: readonly string[], expr: string): string {
  return labels.length === 0 ? `sum(${expr})` : `sum by (${labels.join(', ')}) (${expr})`;
}

/** The `q` quantile of a classic histogram's bucket rates, kept apart by `by`. */
export function quantile(q: number, bucketSelector: string, by: readonly string[] = []): string {
  return `histogram_quantile(${q}, ${sumBy([...by, PROM_LABEL.le], rate(bucketSelector))})`;
}

/**
 * `numerator / denominator`, where a numerator with no series (no errors yet) counts as zero
 * for every series of the denominator, so the panel shows 0 % instead of "No data".
 */
export function ratioOrZero(numerator: string, denominator: string): string {
  return `(\n  ${numerator}\n  or\n  ${denominator} * 0\n)\n/\n${denominator}`;
}

/** `expr or vector(0)`: a count that is 0, not empty, when nothing matches. */
export function orZero(expr: string): string {
  return `${expr} or vector(0)`;
}

/** `job=~"$service"`: the selected service(s); a service is a Prometheus job. */
export function inService(): string {
  return isVar(PROM_LABEL.job, VARIABLE.service);
}
