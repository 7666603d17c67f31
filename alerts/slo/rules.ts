/**
 * Turns an SLO spec into Prometheus rule groups: error-ratio recording rules over every window
 * the alerts need, and the multiwindow, multi-burn-rate alerts of the SRE Workbook
 * (chapter 5, "Alerting on SLOs"), one alert rule per window pair.
 */
import { METRIC, LABEL } from '@periscope/instrument/contract';
import { RUNBOOK_BASE_URL } from '../config.ts';
import type { Severity } from '../config.ts';
import type { Objective, Sli, SloSpec } from './spec.ts';
import { parseDuration } from '../lib/duration.ts';

/** A window pair: alert when both windows burn budget `consumption` of the whole budget spends in `long`. */
export interface BurnWindow {
  readonly long: string;
  readonly short: string;
  /** Share of the whole error budget that burning at this rate spends within `long`. */
  readonly consumption: number;
  readonly for: string;
  readonly severity: Severity;
}

/** The SRE Workbook's pairs: 2% of the budget in 1h or 5% in 6h pages; 10% in 1d or 3d is a ticket. */
export const BURN_WINDOWS: readonly BurnWindow[] = Object.freeze([
  { long: '1h', short: '5m', consumption: 0.02, for: '2m', severity: 'critical' },
  { long: '6h', short: '30m', consumption: 0.05, for: '15m', severity: 'critical' },
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
  for: string;
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

function errorRatioExpr(slo: Objective, window: string): string {
  const job = `job="${slo.service}"`;
  const count = `${METRIC.serverDuration}_count`;
  const all = `sum by (job) (rate(${count}{${job}}[${window}]))`;
  if (slo.sli === 'availability') {
    // no 5xx series yet, with traffic: 0 rather than nothing
    const failed = `sum by (job) (rate(${count}{${job}, ${LABEL.status}=~"5.."}[${window}]))`;
    return `(\n  ${failed}\n  or\n  ${all} * 0\n)\n/\n${all}\n`;
  }
  const fast = `sum by (job) (rate(${METRIC.serverDuration}_bucket{${job}, ${leMatcher(slo.threshold!)}}[${window}]))`;
  return `1 - (\n  ${fast}\n  /\n  ${all}\n)\n`;
}

function describe(slo: Objective, budget: number, pair: BurnWindow, factor: number): AlertingRule['annotations'] {
  const allowed = `${tidy(budget * 100)}%`;
  const what =
    slo.sli === 'availability'
      ? `of the requests to {{ $labels.job }} failed with a 5xx status`
      : `of the requests to {{ $labels.job }} took longer than ${slo.threshold}s`;
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
      for: pair.for,
      labels: { severity: pair.severity, job: slo.service, sli: slo.sli, long: pair.long, short: pair.short },
      annotations: describe(slo, budget, pair, factor),
    });
  }
  return { name: `periscope.slo.${slo.service}.${slo.sli}`, rules };
}

/** The rule groups of a spec: one group per objective, recording rules first, then its alerts. */
export function sloRuleGroups(spec: SloSpec): RuleGroup[] {
  return spec.objectives.map((slo) => objectiveGroup(slo, spec));
}
