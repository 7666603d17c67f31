/**
 * SLO queries, from the same spec (the topology's SLOs, through alerts/slo/spec.ts) and the same recording rules
 * (alerts/slo.rules.yml) as the burn-rate alerts, so the dashboard shows what pages.
 */
import { LABEL, METRIC } from '@periscope/instrument/contract';
import { BURN_WINDOWS, errorRatioRecord, leMatcher } from '../../../../alerts/slo/rules.ts';
import type { BurnWindow } from '../../../../alerts/slo/rules.ts';
import { parseDuration } from '@periscope/stack';
import { topologySpec } from '../../../../alerts/slo/spec.ts';
import type { Objective, SloSpec } from '../../../../alerts/slo/spec.ts';
import { PROM_LABEL, eq, increase, ratioOrZero, re, sel, sumBy } from './promql.ts';

export type { BurnWindow, Objective, SloSpec };
export { BURN_WINDOWS };

/** The recording rule holding each objective as a ratio, labelled `job` and `sli`. */
export const OBJECTIVE_RECORD = 'job:slo_objective:ratio';

/** Reads the SLO spec the alerts are generated from. */
export function loadSpec(): SloSpec {
  return topologySpec();
}

/** Share of requests an objective allows to be bad (its error budget), e.g. 0.001 for 99.9 %. */
export function errorBudget(slo: Objective): number {
  return Number(((100 - slo.objective) / 100).toPrecision(10));
}

/** Burn rate at which an alert window pair fires: budget spent `consumption` within `long`. */
export function burnRateThreshold(pair: BurnWindow, spec: SloSpec): number {
  return Number(((pair.consumption * parseDuration(spec.window)) / parseDuration(pair.long)).toPrecision(10));
}

const job = (slo: Objective) => eq(PROM_LABEL.job, slo.service);

/** The objective as Prometheus has it from the recording rules (0–1). */
export function objective(slo: Objective): string {
  return sel(OBJECTIVE_RECORD, job(slo), eq('sli', slo.sli));
}

/** All objectives, for the summary table. */
export function allObjectives(): string {
  return OBJECTIVE_RECORD;
}

/** Share of bad requests over `window`, from the raw histogram (exact over long windows). */
export function errorRatioOver(slo: Objective, window: string): string {
  const count = `${METRIC.serverDuration}_count`;
  const all = sumBy([], increase(sel(count, job(slo)), window));
  if (slo.sli === 'availability') {
    return ratioOrZero(sumBy([], increase(sel(count, job(slo), re(LABEL.status, '5..')), window)), all);
  }
  const fast = sumBy([], increase(sel(`${METRIC.serverDuration}_bucket`, job(slo), leMatcher(slo.threshold!)), window));
  return `1 - (${fast} / ${all})`;
}

/** The SLI over the whole compliance window (0–1). */
export function sliOverWindow(slo: Objective, spec: SloSpec): string {
  return `1 - (${errorRatioOver(slo, spec.window)})`;
}

/** Share of the window's error budget still unspent (1 = untouched, below 0 = overspent). */
export function budgetRemaining(slo: Objective, spec: SloSpec): string {
  return `1 - ((${errorRatioOver(slo, spec.window)}) / ${errorBudget(slo)})`;
}

/**
 * The recorded error ratio of an SLI over `window`. The rule has no sample while a service has
 * traffic but no bad request yet (0 / n is not recorded when the numerator has no series), so
 * a service with traffic falls back to 0; a service without traffic stays empty.
 */
export function recordedErrorRatio(slo: Objective, window: string): string {
  const traffic = sumBy([PROM_LABEL.job], increase(sel(`${METRIC.serverDuration}_count`, job(slo)), window));
  return `(${sel(errorRatioRecord(slo.sli, window), job(slo))} or ${traffic} * 0)`;
}

/** How many times faster than sustainable the budget burns over `window`. */
export function burnRate(slo: Objective, window: string): string {
  return `${recordedErrorRatio(slo, window)} / ${errorBudget(slo)}`;
}

/** The SLI over a short window, to plot against the objective. */
export function sli(slo: Objective, window: string): string {
  return `1 - ${recordedErrorRatio(slo, window)}`;
}
