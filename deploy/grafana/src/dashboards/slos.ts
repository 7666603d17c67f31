/**
 * SLOs: is a service keeping its promise, and how fast is it spending its error budget? For the
 * service chosen in `$service` (any service that emits the contract: it has an objective, its
 * team's or the default), a row per SLI — availability and latency — with the objective in force,
 * the SLI and the budget left over the compliance window, the burn rate over each alert window
 * and the SLI over time; above them, every service's objectives and budgets.
 */
import { DashboardBuilder } from '../adapter/dashboard.ts';
import { GaugePanel, StatPanel, TablePanel, TimeseriesPanel, thresholds } from '../adapter/panels.ts';
import type { Panel } from '../adapter/panels.ts';
import { prom } from '../adapter/targets.ts';
import type { DashboardJson } from '../adapter/types.ts';
import { queryVariable } from '../adapter/variables.ts';
import { PROM_LABEL, VARIABLE } from '../queries/promql.ts';
import * as q from '../queries/slo.ts';
import type { Sli } from '../queries/slo.ts';
import { COLOR, TAGS, UID, UNIT, linkOthers } from './common.ts';

const WINDOW = q.SLO_WINDOW;
const LE = `{{${q.SLO_LABEL.threshold}}}`;

/** What the SLI counts as good, in the words of the panels' descriptions. */
const GOOD: Readonly<Record<Sli, string>> = {
  availability: 'share of requests answered without a 5xx status of the service\'s own making',
  latency: 'share of requests answered within the service\'s latency threshold, not counting waits on slow calls to its dependencies',
};

const ROW_TITLE: Readonly<Record<Sli, string>> = { availability: 'Availability', latency: 'Latency' };

/** `$service`: one service with an objective in force. */
function sloServiceVariable() {
  return queryVariable(VARIABLE.service, `label_values(${q.OBJECTIVE_SERIES}, ${PROM_LABEL.job})`, { label: 'Service' });
}

/** Each window pair's alert threshold as a dashed line: orange where a ticket opens, red where it pages. */
function burnThresholds() {
  const steps = q.BURN_WINDOWS.map((pair) => [pair.severity === 'critical' ? COLOR.bad : COLOR.warn, q.burnRateThreshold(pair)] as const);
  return thresholds(COLOR.ok, ...[...steps].sort((a, b) => a[1] - b[1]));
}

function sliRow(sli: Sli): Panel[] {
  const objectiveLegend = sli === 'latency' ? `objective (within ${LE} s)` : 'objective';
  const threshold = sli === 'latency' ? ' The legend gives the latency threshold in seconds.' : '';
  return [
    new StatPanel({
      title: 'Objective',
      description: `Target ${GOOD[sli]}: the one the service's team declared, or Periscope's default.${threshold}`,
      unit: UNIT.ratio,
      decimals: 2,
      width: 4,
      height: 6,
      thresholds: thresholds('text'),
      targets: [prom(q.objective(sli), { instant: true, legend: objectiveLegend })],
    }),
    new StatPanel({
      title: `SLI over ${WINDOW}`,
      description: `The ${GOOD[sli]}, over the ${WINDOW} compliance window. Compare it with the objective at its left.`,
      unit: UNIT.ratio,
      decimals: 3,
      width: 4,
      height: 6,
      thresholds: thresholds('text'),
      targets: [prom(q.sliOverWindow(sli), { instant: true, legend: 'SLI' })],
    }),
    new GaugePanel({
      title: 'Error budget remaining',
      description: `Share of the ${WINDOW} error budget (the requests the objective allows to be bad) not yet spent; below 0 the objective is missed.`,
      unit: UNIT.ratio,
      max: 1,
      width: 4,
      height: 6,
      thresholds: thresholds(COLOR.bad, [COLOR.warn, 0.25], [COLOR.ok, 0.5]),
      targets: [prom(q.budgetRemaining(sli), { instant: true, legend: 'remaining' })],
    }),
    new TimeseriesPanel({
      title: 'Burn rate per alert window',
      description:
        `How many times faster than sustainable the budget burns, over the long window of each burn-rate alert. ` +
        `An alert fires when its long and short windows both pass its threshold (the legend; dashed lines: red pages, orange opens a ticket).`,
      unit: UNIT.count,
      width: 12,
      height: 6,
      thresholds: burnThresholds(),
      thresholdLines: true,
      targets: q.BURN_WINDOWS.map((pair) => prom(q.burnRate(sli, pair.long), { legend: `${pair.long} (alert at ${q.burnRateThreshold(pair)}× with ${pair.short})` })),
    }),
    new TimeseriesPanel({
      title: 'SLI over time',
      description: `The ${GOOD[sli]}, over 5 minutes and 1 hour, against the objective.`,
      unit: UNIT.ratio,
      width: 24,
      height: 7,
      targets: [prom(q.sli(sli, '5m'), { legend: 'SLI (5m)' }), prom(q.sli(sli, '1h'), { legend: 'SLI (1h)' }), prom(q.objective(sli), { legend: objectiveLegend })],
    }),
  ];
}

function overview(): Panel[] {
  return [
    new TablePanel({
      title: 'Objectives of every service',
      description: `The objective in force for every service and SLI (a latency objective with its threshold in seconds), and the share of its ${WINDOW} error budget left. Click a row to see that service below.`,
      unit: UNIT.ratio,
      decimals: 2,
      width: 24,
      height: 7,
      hideColumns: ['Time'],
      columnOrder: [PROM_LABEL.job, q.SLO_LABEL.sli, q.SLO_LABEL.threshold, 'Value #A', 'Value #B'],
      renameColumns: { [q.SLO_LABEL.threshold]: 'threshold (s)', 'Value #A': 'objective', 'Value #B': 'budget remaining' },
      links: [{ title: 'SLOs of this service', url: `/d/${UID.slos}?var-${VARIABLE.service}=\${__data.fields.${PROM_LABEL.job}}&\${__url_time_range}` }],
      targets: [prom(q.allObjectives(), { instant: true, format: 'table' }), prom(q.allBudgetsRemaining(), { instant: true, format: 'table' })],
    }),
  ];
}

/** The SLO dashboard: every service's objectives, then `$service`'s SLIs, one row each. */
export function slos(): DashboardJson {
  const dashboard = new DashboardBuilder({
    uid: UID.slos,
    title: 'Periscope / SLOs',
    description: `Service level objectives over ${WINDOW}, for every service: objective, SLI, error budget remaining, burn rates.`,
    tags: [...TAGS, 'slo'],
    from: 'now-24h',
    refresh: '1m',
  })
    .variable(sloServiceVariable())
    .section({ panels: overview() });
  for (const sli of q.SLIS) dashboard.section({ title: `${ROW_TITLE[sli]} of $${VARIABLE.service}`, panels: sliRow(sli) });
  return linkOthers(dashboard).toJson();
}
