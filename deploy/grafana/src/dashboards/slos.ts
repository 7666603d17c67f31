/**
 * SLOs: is each service keeping its promise, and how fast is it spending its error budget?
 * One row per objective of the topology's SLOs (service × SLI): the objective, the SLI and the
 * budget left over the compliance window, the burn rate over each alert window, the SLI over time.
 */
import { DashboardBuilder } from '../adapter/dashboard.ts';
import { GaugePanel, StatPanel, TablePanel, TimeseriesPanel, thresholds } from '../adapter/panels.ts';
import type { Panel } from '../adapter/panels.ts';
import { prom } from '../adapter/targets.ts';
import type { DashboardJson } from '../adapter/types.ts';
import * as q from '../queries/slo.ts';
import type { Objective, SloSpec } from '../queries/slo.ts';
import { COLOR, TAGS, UID, UNIT, linkOthers } from './common.ts';

function describeSli(slo: Objective): string {
  return slo.sli === 'availability' ? 'share of requests answered without a 5xx status' : `share of requests answered within ${slo.threshold}s`;
}

function objectiveRow(slo: Objective, spec: SloSpec): Panel[] {
  const objective = slo.objective / 100;
  const burnSteps = [...q.BURN_WINDOWS].map((w) => q.burnRateThreshold(w, spec)).sort((a, b) => a - b);
  return [
    new StatPanel({ title: 'Objective', description: `Target ${describeSli(slo)}, as loaded in Prometheus from the SLO recording rules.`, unit: UNIT.ratio, decimals: 2, width: 4, height: 6, targets: [prom(q.objective(slo), { instant: true, legend: 'objective' })] }),
    new StatPanel({ title: `SLI over ${spec.window}`, description: `The ${describeSli(slo)} over the ${spec.window} compliance window.`, unit: UNIT.ratio, decimals: 3, width: 4, height: 6, thresholds: thresholds(COLOR.bad, [COLOR.ok, objective]), targets: [prom(q.sliOverWindow(slo, spec), { instant: true, legend: 'SLI' })] }),
    new GaugePanel({ title: 'Error budget remaining', description: `Share of the ${spec.window} error budget (${Number((100 - slo.objective).toPrecision(6))} % of requests) not yet spent; below 0 the objective is missed.`, unit: UNIT.ratio, max: 1, width: 4, height: 6, thresholds: thresholds(COLOR.bad, [COLOR.warn, 0.25], [COLOR.ok, 0.5]), targets: [prom(q.budgetRemaining(slo, spec), { instant: true, legend: 'remaining' })] }),
    new TimeseriesPanel({
      title: 'Burn rate per alert window',
      description: `How many times faster than sustainable the budget burns, over each long window of the burn-rate alerts (they fire at ${burnSteps.join(', ')}× with their short window agreeing).`,
      unit: UNIT.count,
      width: 12,
      height: 6,
      thresholds: thresholds(COLOR.ok, [COLOR.warn, burnSteps[0]!], [COLOR.bad, burnSteps[burnSteps.length - 1]!]),
      targets: q.BURN_WINDOWS.map((w) => prom(q.burnRate(slo, w.long), { legend: `${w.long} (alert at ${q.burnRateThreshold(w, spec)}×)` })),
    }),
    new TimeseriesPanel({
      title: 'SLI over time',
      description: `The ${describeSli(slo)} over 5 minutes and 1 hour, against the objective.`,
      unit: UNIT.ratio,
      width: 24,
      height: 7,
      targets: [prom(q.sli(slo, '5m'), { legend: 'SLI (5m)' }), prom(q.sli(slo, '1h'), { legend: 'SLI (1h)' }), prom(q.objective(slo), { legend: 'objective' })],
    }),
  ];
}

function overview(): Panel[] {
  return [
    new TablePanel({
      title: 'Objectives',
      description: 'Every objective Prometheus evaluates, by service and SLI. Rows below detail each one.',
      unit: UNIT.ratio,
      decimals: 2,
      width: 24,
      height: 6,
      hideColumns: ['Time', '__name__'],
      targets: [prom(q.allObjectives(), { instant: true, format: 'table', legend: '{{job}} {{sli}}' })],
    }),
  ];
}

/** The SLO dashboard, one row per objective of the spec. */
export function slos(spec: SloSpec = q.loadSpec()): DashboardJson {
  const dashboard = new DashboardBuilder({
    uid: UID.slos,
    title: 'Periscope / SLOs',
    description: `Service level objectives over ${spec.window}: objective, SLI, error budget remaining, burn rates.`,
    tags: [...TAGS, 'slo'],
    from: 'now-24h',
    refresh: '1m',
  }).section({ panels: overview() });
  for (const slo of spec.objectives) {
    const name = slo.sli === 'availability' ? 'availability' : `latency ≤ ${slo.threshold}s`;
    dashboard.section({ title: `${slo.service} — ${name} (${slo.objective} %)`, panels: objectiveRow(slo, spec) });
  }
  return linkOthers(dashboard).toJson();
}
