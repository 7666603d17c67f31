/**
 * Turns an SLO spec into Prometheus rule groups: error-ratio recording rules over every window
 * the alerts need, and the multiwindow, multi-burn-rate alerts of the SRE Workbook
 * (chapter 5, "Alerting on SLOs"), one alert rule per window pair.
 */
import { METRIC, LABEL } from '@periscope/instrument/contract';
import { RUNBOOK_BASE_URL } from '../config.ts';
import type { Severity } from '../config.ts';
import type { Objective, Sli, SloSpec } from './spec.ts';
import { parseDuration } from '@periscope/stack';

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
  readonly severity: Severity;
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

export interface RecordingRule {
  record: string;
  expr: string;
  labels?: Record<string, string>;
}

export interface AlertingRule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: { summary: string; description: string; runbook_url: string };
}

export interface RuleGroup {
  name: string;
  rules: (RecordingRule | AlertingRule)[];
}

const ALERT_NAME: Readonly<Record<Sli, string>> = { availability: 'AvailabilityErrorBudgetBurn', latency: 'LatencyErrorBudgetBurn' };

/** Rounds away binary noise (14.399999999999999 → 14.4) so the rules read as written. */
function tidy(value: number): number {
  return Number(value.toPrecision(10));
}

/** Name of the recorded error ratio (bad requests / all requests) of an SLI over a window. */
export function errorRatioRecord(sli: Sli, window: string): string {
  return `job:slo_${sli}_errors:ratio_rate${window}`;
}

/** Every window a recording rule is needed for: the long and short window of each pair. */
export function recordedWindows(): string[] {
  const windows = new Set(BURN_WINDOWS.flatMap((w) => [w.short, w.long]));
  return [...windows].sort((a, b) => parseDuration(a) - parseDuration(b));
}

/**
 * The `le` matcher of a bucket boundary. Prometheus 3 normalises integer boundaries of classic
 * histograms to "1.0" while prom-client writes "1", so integers match both spellings.
 */
export function leMatcher(threshold: number): string {
  return Number.isInteger(threshold) ? `le=~"${threshold}|${threshold}\\\\.0"` : `le="${threshold}"`;
}

/**
 * The share of requests that went bad because of the service itself, over a window. A request
 * that failed (or was slow) only because one of the service's own outbound calls failed (or was
 * slow) is the dependency's bad event, counted in the dependency's SLI; so the bad outbound calls
 * (5xx, no answer at all, or slower than this SLI's threshold) are subtracted from the bad inbound
 * requests, never below zero. A caller therefore does not burn budget, nor page, for a fault in
 * a service it calls.
 */
function errorRatioExpr(slo: Objective, window: string): string {
  const job = `job="${slo.service}"`;
  const rate = (series: string) => `sum by (job) (rate(${series}[${window}]))`;
  const all = rate(`${METRIC.serverDuration}_count{${job}}`);
  const zero = `${all} * 0`; // traffic without a series of this kind yet: 0 rather than nothing
  let badIn: string;
  let badOut: string;
  if (slo.sli === 'availability') {
    badIn = rate(`${METRIC.serverDuration}_count{${job}, ${LABEL.status}=~"5.."}`);
    // a call that got no answer has no status code
    badOut = rate(`${METRIC.clientDuration}_count{${job}, ${LABEL.status}=~"5..|"}`);
  } else {
    const le = leMatcher(slo.threshold!);
    badIn = `${all}\n    -\n    ${rate(`${METRIC.serverDuration}_bucket{${job}, ${le}}`)}`;
    badOut = `${rate(`${METRIC.clientDuration}_count{${job}}`)}\n    -\n    ${rate(`${METRIC.clientDuration}_bucket{${job}, ${le}}`)}`;
  }
  return `clamp_min(\n  (\n    ${badIn}\n    or\n    ${zero}\n  )\n  -\n  (\n    ${badOut}\n    or\n    ${zero}\n  ),\n  0\n)\n/\n${all}\n`;
}

function describe(slo: Objective, budget: number, pair: BurnWindow, factor: number): AlertingRule['annotations'] {
  const allowed = `${tidy(budget * 100)}%`;
  const what =
    slo.sli === 'availability'
      ? `of the requests to {{ $labels.job }} failed with a 5xx status of its own making`
      : `of the requests to {{ $labels.job }} took longer than ${slo.threshold}s of its own making`;
  return {
    summary: `A service is spending its ${slo.sli} error budget ${factor} times faster than its objective allows.`,
    description:
      `{{ $value | humanizePercentage }} ${what} over the last ${pair.long}, and the last ${pair.short} agree; ` +
      `the ${slo.objective}% objective allows ${allowed}. At this rate the budget lasts ${tidy(1 / pair.consumption)} × ${pair.long}.`,
    runbook_url: `${RUNBOOK_BASE_URL}slo.md#${ALERT_NAME[slo.sli].toLowerCase()}`,
  };
}

function objectiveGroup(slo: Objective, spec: SloSpec): RuleGroup {
  const budget = tidy((100 - slo.objective) / 100);
  const windowSeconds = parseDuration(spec.window);
  const rules: (RecordingRule | AlertingRule)[] = [
    { record: 'job:slo_objective:ratio', expr: `vector(${tidy(slo.objective / 100)})`, labels: { job: slo.service, sli: slo.sli } },
    ...recordedWindows().map((w) => ({ record: errorRatioRecord(slo.sli, w), expr: errorRatioExpr(slo, w), labels: { job: slo.service } })),
  ];
  for (const pair of BURN_WINDOWS) {
    const factor = tidy((pair.consumption * windowSeconds) / parseDuration(pair.long));
    const threshold = `(${factor} * ${budget})`;
    const series = (w: string) => `${errorRatioRecord(slo.sli, w)}{job="${slo.service}"}`;
    rules.push({
      alert: ALERT_NAME[slo.sli],
      expr: `${series(pair.long)} > ${threshold}\nand\n${series(pair.short)} > ${threshold}\n`,
      ...(pair.for ? { for: pair.for } : {}),
      labels: { severity: pair.severity, service: slo.service, job: slo.service, sli: slo.sli, long: pair.long, short: pair.short },
      annotations: describe(slo, budget, pair, factor),
    });
  }
  return { name: `periscope.slo.${slo.service}.${slo.sli}`, rules };
}

/** The rule groups of a spec: one group per objective, recording rules first, then its alerts. */
export function sloRuleGroups(spec: SloSpec): RuleGroup[] {
  return spec.objectives.map((slo) => objectiveGroup(slo, spec));
}
