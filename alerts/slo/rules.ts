/**
 * The SLO rules, written once for every service: the objective in force for each service (its
 * team's declared one, or the stack's default), its own error ratio over every window the alerts
 * need, and the multiwindow, multi-burn-rate alerts of the SRE Workbook (chapter 5), one alert
 * rule per window pair and SLI. Nothing here names a service: a target that emits the contract's
 * duration histograms gets SLO pages the first time it is scraped.
 */
import { METRIC } from '@periscope/instrument/contract';
import {
  BURN_ALERT, BURN_WINDOWS, DEFAULT_OBJECTIVES, SLIS, SLO_LABEL, SLO_SELECTOR, SLO_SERIES, SLO_WINDOW,
  errorRatioSeries, parseDuration,
} from '@periscope/stack';
import type { BurnWindow, Sli } from '@periscope/stack';
import { runbookUrl } from '../lib/runbooks.ts';
import { ownErrorRatio } from './sli.ts';

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

/** Rounds away binary noise (14.399999999999999 → 14.4) so the rules read as written. */
export function tidy(value: number): number {
  return Number(value.toPrecision(10));
}

/** Every window a recording rule is needed for: the long and short window of each pair. */
export function recordedWindows(): string[] {
  const windows = new Set(BURN_WINDOWS.flatMap((w) => [w.short, w.long]));
  return [...windows].sort((a, b) => parseDuration(a) - parseDuration(b));
}

/** The burn rate a window pair alerts at: the rate that spends `consumption` of the budget within `long`. */
export function burnRateThreshold(pair: BurnWindow, window: string = SLO_WINDOW): number {
  return tidy((pair.consumption * parseDuration(window)) / parseDuration(pair.long));
}

/**
 * The objective in force for every service: the declared one (`periscope slo rules` writes it
 * from the team's OpenSLO file) or, for a service that emits the contract and has none, the
 * stack's default. A latency objective carries its threshold as `le`.
 */
function objectiveRules(): RecordingRule[] {
  const declared = (sli: Sli) => `${SLO_SERIES.declaredObjective}{${SLO_LABEL.sli}="${sli}"}`;
  const services = `group by (job) (${METRIC.serverDuration}_count${SLO_SELECTOR ? `{${SLO_SELECTOR}}` : ''})`;
  const { availability, latency } = DEFAULT_OBJECTIVES;
  return [
    {
      record: SLO_SERIES.objective,
      expr: `${declared('availability')}\nor on (job)\n${services} * ${tidy(availability / 100)}\n`,
      labels: { [SLO_LABEL.sli]: 'availability' },
    },
    {
      record: SLO_SERIES.objective,
      expr: `${declared('latency')}\nor on (job)\nlabel_replace(${services}, "${SLO_LABEL.threshold}", "${latency.threshold}", "", "") * ${tidy(latency.objective / 100)}\n`,
      labels: { [SLO_LABEL.sli]: 'latency' },
    },
  ];
}

/** `<error ratio over window> / <error budget>`: how many times faster than sustainable the budget burns. */
export function burnRateExpr(sli: Sli, window: string): string {
  return `${errorRatioSeries(sli, window)}\n  / on (job) group_left ()\n  (1 - ${SLO_SERIES.objective}{${SLO_LABEL.sli}="${sli}"})`;
}

/** A template that queries one value of the alerting service and formats it. */
function lookup(expr: string, format: string): string {
  return `{{ with printf ${JSON.stringify(expr)} $labels.job | query }}{{ . | first | ${format} }}{{ end }}`;
}

function annotations(sli: Sli, pair: BurnWindow): AlertingRule['annotations'] {
  const objective = (extra = '') => `${SLO_SERIES.objective}{job=%q, ${SLO_LABEL.sli}='${sli}'}${extra}`;
  const ratio = lookup(`${errorRatioSeries(sli, pair.long)}{job=%q}`, 'value | humanizePercentage');
  const allowed = lookup(`1 - ${objective()}`, 'value | humanizePercentage');
  const target = lookup(objective(), 'value | humanizePercentage');
  const lasts = `{{ with printf "${parseDuration(SLO_WINDOW)} / %f" $value | query }}{{ . | first | value | humanizeDuration }}{{ end }}`;
  const what =
    sli === 'availability'
      ? 'failed with a 5xx status of its own making'
      : `were slower than ${lookup(objective(), `label "${SLO_LABEL.threshold}"`)}s, not counting waits on its dependencies`;
  return {
    summary: `A service is burning its ${sli} error budget fast enough to spend ${tidy(pair.consumption * 100)}% of it within ${pair.long}.`,
    description:
      `${ratio} of the requests to {{ $labels.job }} over the last ${pair.long} ${what} (the last ${pair.short} agree), ` +
      `against ${allowed} allowed by its ${target} ${sli} objective: a burn rate of {{ printf "%.1f" $value }} ` +
      `(this alert fires from ${burnRateThreshold(pair)}). At this rate the ${SLO_WINDOW} error budget lasts ${lasts}.`,
    runbook_url: runbookUrl('slo.md', BURN_ALERT[sli].toLowerCase()),
  };
}

function burnAlert(sli: Sli, pair: BurnWindow): AlertingRule {
  const threshold = burnRateThreshold(pair);
  return {
    alert: BURN_ALERT[sli],
    expr: `(\n  ${burnRateExpr(sli, pair.long)}\n) > ${threshold}\nand on (job)\n(\n  ${burnRateExpr(sli, pair.short)}\n) > ${threshold}\n`,
    ...(pair.for ? { for: pair.for } : {}),
    labels: { severity: pair.severity, service: '{{ $labels.job }}', [SLO_LABEL.sli]: sli, long: pair.long, short: pair.short },
    annotations: annotations(sli, pair),
  };
}

/**
 * The rule groups: the objectives in force, each SLI's error ratios over every window, then the
 * alerts. Recording rules of one group are evaluated in order, so the alerts see this
 * evaluation's ratios; the objectives come first so the latency ratios find their thresholds.
 */
export function sloRuleGroups(): RuleGroup[] {
  return [
    { name: 'periscope.slo.objectives', rules: objectiveRules() },
    ...SLIS.map((sli) => ({
      name: `periscope.slo.${sli}`,
      rules: [
        ...recordedWindows().map((w) => ({ record: errorRatioSeries(sli, w), expr: ownErrorRatio(sli, SLO_SELECTOR, w) })),
        ...BURN_WINDOWS.map((pair) => burnAlert(sli, pair)),
      ],
    })),
  ];
}
