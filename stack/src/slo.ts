/**
 * Service level objectives: what is measured, the compliance window, the burn-rate window pairs,
 * the objectives a service gets when nobody declared its own, and the names of the series the SLO
 * rules record. The generic burn-rate rules (alerts/slo.rules.yml), the `periscope slo` command
 * that turns a team's OpenSLO file into objective rules, and the SLO dashboard all read these.
 */

/** The service level indicators Periscope measures from the telemetry contract. */
export const SLIS = ['availability', 'latency'] as const;
export type Sli = (typeof SLIS)[number];

/**
 * The compliance window of every SLO, a rolling window of whole days. The burn-rate thresholds
 * below are shares of the budget of this window.
 */
export const SLO_WINDOW = '30d';

/** Severity of an alert (see {@link SEVERITIES} in alerting.ts). */
export type BurnSeverity = 'critical' | 'warning';

/**
 * A window pair: alert when both windows burn at the rate that spends `consumption` of the whole
 * budget within `long`. `for` is left out of the pages: the short window already confirms the burn
 * is still going on, and a `for` would only add its length to the time to page.
 */
export interface BurnWindow {
  readonly long: string;
  readonly short: string;
  /** Share of the whole error budget that burning at this rate spends within `long`. */
  readonly consumption: number;
  readonly for?: string;
  readonly severity: BurnSeverity;
}

/**
 * The SRE Workbook's pairs (chapter 5), tuned so a page comes fast and goes fast: 1% of the budget
 * in 1h or 5% in 6h pages (the Workbook pages at 2% in 1h; half of that pages a 50% error rate
 * against a 99.9% objective in 52 s instead of 104 s); both pages confirm on a 5m short window, so
 * each resolves within about 5 minutes of the fault ending. 10% in 1d or 3d is a ticket.
 * alerts/README.md shows the arithmetic.
 */
export const BURN_WINDOWS: readonly BurnWindow[] = Object.freeze([
  { long: '1h', short: '5m', consumption: 0.01, severity: 'critical' },
  { long: '6h', short: '5m', consumption: 0.05, severity: 'critical' },
  { long: '1d', short: '2h', consumption: 0.1, for: '1h', severity: 'warning' },
  { long: '3d', short: '6h', consumption: 0.1, for: '3h', severity: 'warning' },
]);

/** An availability and a latency objective, in percent of good requests. */
export interface Objectives {
  /** Share of requests answered without a 5xx status of the service's own making, in percent. */
  readonly availability: number;
  /** Share of requests answered within `threshold` seconds (a duration-histogram bucket), in percent. */
  readonly latency: { readonly objective: number; readonly threshold: number };
}

/**
 * What every service that emits the contract gets until its team declares its own objectives.
 * 99.9% available: a service that fails half its requests pages within two minutes, a steady
 * 0.1% of failures never does. 99% within 0.5 s: half a second is where a person waiting for a
 * page notices, and an endpoint that is slow for everyone pages within five minutes. alerts/README.md
 * gives the reasoning and the times.
 */
export const DEFAULT_OBJECTIVES: Objectives = Object.freeze({
  availability: 99.9,
  latency: Object.freeze({ objective: 99, threshold: 0.5 }),
});

/** Label names the SLO series carry besides `job`. */
export const SLO_LABEL = Object.freeze({
  /** Which indicator: `availability` or `latency`. */
  sli: 'sli',
  /** The latency objective's threshold, as the duration histogram's bucket boundary spells it. */
  threshold: 'le',
});

/**
 * Names of the series the SLO rules record (Prometheus `level:metric:operations`).
 *
 * - `declaredObjective`: written by `periscope slo rules` from a team's OpenSLO file, one series
 *   per service and SLI (`job`, `sli`; `le` for latency), value = the objective as a ratio (0.999).
 * - `objective`: the objective in force for every service that emits the contract: the declared
 *   one, or {@link DEFAULT_OBJECTIVES}. Same labels.
 */
export const SLO_SERIES = Object.freeze({
  declaredObjective: 'job:slo_objective_declared:ratio',
  objective: 'job:slo_objective:ratio',
});

/** Name of the recorded share of a service's own bad requests for an SLI over a window. */
export function errorRatioSeries(sli: Sli, window: string): string {
  return `job:slo_${sli}_errors:ratio_rate${window}`;
}

/** The alert that pages when a service burns an SLI's error budget too fast. */
export const BURN_ALERT: Readonly<Record<Sli, string>> = Object.freeze({
  availability: 'AvailabilityErrorBudgetBurn',
  latency: 'LatencyErrorBudgetBurn',
});

/**
 * Matchers every SLO rule adds to its selectors, as kubernetes-mixin's selectors: empty, so every
 * job that emits the contract's duration histograms gets SLOs; e.g. `namespace="prod"` to keep
 * them to one environment.
 */
export const SLO_SELECTOR = '';
