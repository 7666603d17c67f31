/**
 * SLO queries, generic over services: the objective in force (a team's declared one or the
 * stack's default, from alerts/slo.rules.yml), the SLI and the error budget over the compliance
 * window, burn rates and SLIs from the recorded ratios. The SLI is the burn-rate rules' own
 * (alerts/slo/sli.ts, alerts/slo/rules.ts), so the dashboard shows what pages, for any service
 * that emits the contract. `selector` narrows to `$service`; empty means every service.
 */
import { BURN_WINDOWS, SLIS, SLO_LABEL, SLO_SERIES, SLO_WINDOW, errorRatioSeries } from '@periscope/stack';
import type { BurnWindow, Sli } from '@periscope/stack';
import { burnRateExpr, burnRateThreshold } from '../../../../alerts/slo/rules.ts';
import { ownErrorRatio } from '../../../../alerts/slo/sli.ts';
import { PROM_LABEL, eq, inService, sel } from './promql.ts';

export type { BurnWindow, Sli };
export { BURN_WINDOWS, SLIS, SLO_LABEL, SLO_WINDOW, burnRateThreshold };

/** The series the dashboard's variable lists services from: every service with an objective. */
export const OBJECTIVE_SERIES = SLO_SERIES.objective;

/** `$service` as the SLO queries select it. */
export const SERVICE = inService();

/** The non-empty ones of `all`: an empty selector adds no matcher. */
function matchers(...all: readonly string[]): string[] {
  return all.filter((m) => m !== '');
}

/** The objective in force (0–1); a latency objective carries its threshold (seconds) as `le`. */
export function objective(sli: Sli, selector: string = SERVICE): string {
  return sel(SLO_SERIES.objective, ...matchers(selector, eq(SLO_LABEL.sli, sli)));
}

/** The labels of the summary table's rows: service, SLI, latency threshold. */
const ROW = [PROM_LABEL.job, SLO_LABEL.sli, SLO_LABEL.threshold].join(', ');

/** Every objective in force, one series per (job, sli, le), for the summary table. */
export function allObjectives(): string {
  return `max by (${ROW}) (${SLO_SERIES.objective})`;
}

/** Share of the service's own bad requests over the compliance window (the rules' SLI). */
export function errorRatioOverWindow(sli: Sli, selector: string = SERVICE): string {
  return ownErrorRatio(sli, selector, SLO_WINDOW).trimEnd();
}

/** The SLI over the compliance window (0–1). */
export function sliOverWindow(sli: Sli, selector: string = SERVICE): string {
  return `1 - (\n${errorRatioOverWindow(sli, selector)}\n)`;
}

/**
 * Share of the window's error budget still unspent (1 = untouched, below 0 = overspent): the
 * error ratio over the window divided by the budget the service's objective allows. The result
 * takes the objective's `sli` (and `le`) labels, so both SLIs' budgets can share one table.
 */
export function budgetRemaining(sli: Sli, selector: string = SERVICE): string {
  return `1 - (\n${errorRatioOverWindow(sli, selector)}\n)\n/ on (${PROM_LABEL.job}) group_left (${SLO_LABEL.sli}, ${SLO_LABEL.threshold})\n(1 - ${objective(sli, selector)})`;
}

/** Budget remaining of every service and SLI, one series per (job, sli, le), for the summary table. */
export function allBudgetsRemaining(): string {
  return `max by (${ROW}) (\n${SLIS.map((sli) => `(\n${budgetRemaining(sli, '')}\n)`).join('\nor\n')}\n)`;
}

/**
 * How many times faster than sustainable the service burns its budget over `window`: the burn-rate
 * alerts' own expression, kept to `$service`.
 */
export function burnRate(sli: Sli, window: string, selector: string = SERVICE): string {
  return `(\n  ${burnRateExpr(sli, window)}\n)\nand on (${PROM_LABEL.job})\n${objective(sli, selector)}`;
}

/** The SLI over a recorded window (5m, 1h…), to plot against the objective. */
export function sli(sli: Sli, window: string, selector: string = SERVICE): string {
  return `1 - ${sel(errorRatioSeries(sli, window), ...matchers(selector))}`;
}
