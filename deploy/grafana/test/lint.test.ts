import { describe, expect, it } from 'vitest';
import { SLO_WINDOW } from '@periscope/stack';
import type { DashboardJson } from '../src/adapter/types.ts';
import { extractQueries } from '../src/check/extract.ts';
import { counters, datasourceVariables, grid, lint, panelBasics, queriesParse, sampleValues } from '../src/check/lint.ts';
import { substitute } from '../src/check/substitute.ts';
import { syntaxErrors } from '../src/check/syntax.ts';
import { dashboards } from './helpers.ts';

/** A deep copy of the service detail dashboard to break on purpose. */
function broken(): DashboardJson {
  return structuredClone(dashboards.find((d) => d.uid === 'periscope-service-detail')!);
}

function firstTarget(d: DashboardJson) {
  return d.panels.find((p) => p.targets?.[0]?.datasource.type === 'prometheus')!.targets![0]!;
}

describe('the dashboard linter', () => {
  it.each(dashboards.map((d) => [d.uid, d] as const))('passes %s', (_uid, dashboard) => {
    expect(lint(dashboard)).toEqual([]);
  });

  it('reports a graph or singlestat panel', () => {
    const d = broken();
    d.panels[0]!.type = 'singlestat';
    expect(panelBasics(d)).toEqual([expect.stringContaining('type "singlestat" - expected one of')]);
  });

  it('reports a panel without a unit', () => {
    const d = broken();
    d.panels[0]!.fieldConfig!.defaults.unit = '';
    expect(panelBasics(d)).toEqual(['periscope-service-detail / panel 1 "Request rate": no unit']);
  });

  it('reports a target pinned to a datasource instead of a variable', () => {
    const d = broken();
    (firstTarget(d) as { datasource: unknown }).datasource = { type: 'prometheus', uid: 'prometheus' };
    expect(datasourceVariables(d)).toEqual([expect.stringContaining('datasource {"type":"prometheus","uid":"prometheus"} - expected a ${variable} uid')]);
  });

  it('reports a counter read without rate()', () => {
    const d = broken();
    firstTarget(d).expr = 'sum(http_server_request_duration_seconds_count{job=~"$service"})';
    expect(counters(d)).toEqual([expect.stringContaining('counter http_server_request_duration_seconds_count{job=~"$service"} outside rate()/increase()')]);
  });

  it('reports a rate over a fixed window instead of $__rate_interval', () => {
    const d = broken();
    firstTarget(d).expr = 'sum(rate(http_server_request_duration_seconds_count[5m]))';
    expect(counters(d)).toEqual([expect.stringContaining('rate window [5m] - expected [$__rate_interval]')]);
  });

  it('accepts a rate over the SLO compliance window, where an SLI over the whole window is read', () => {
    const d = broken();
    firstTarget(d).expr = `sum(rate(http_server_request_duration_seconds_count[${SLO_WINDOW}]))`;
    expect(counters(d)).toEqual([]);
  });

  it('reports panels that overlap, leave the grid or share an id', () => {
    const d = broken();
    d.panels[1]!.gridPos = { ...d.panels[0]!.gridPos };
    d.panels[2]!.gridPos = { x: 20, y: 0, w: 8, h: 4 };
    d.panels[3]!.id = d.panels[4]!.id;
    const problems = grid(d);
    expect(problems).toContain('periscope-service-detail / panel 1 "Request rate" overlaps panel 2 "Error ratio"');
    expect(problems).toContain('periscope-service-detail / panel 3 "Latency p99": gridPos {"x":20,"y":0,"w":8,"h":4} - expected inside 24 columns');
    expect(problems).toContain(`periscope-service-detail / panel ${d.panels[4]!.id} "${d.panels[4]!.title}": id ${d.panels[4]!.id} already used by "${d.panels[3]!.title}"`);
  });

  it('reports a query that does not parse, by panel and refId', () => {
    const d = broken();
    firstTarget(d).expr = 'sum(rate(http_server_request_duration_seconds_count[$__rate_interval])';
    expect(queriesParse(d)).toEqual([expect.stringMatching(/^periscope-service-detail \/ panel "Request rate" A: promql syntax error at offset/)]);
  });

  it('reports a query using a variable the dashboard does not define', () => {
    const d = broken();
    firstTarget(d).expr = 'up{job="$nope"}';
    expect(queriesParse(d)).toEqual([expect.stringContaining('undefined variable "nope"')]);
  });
});

describe('every query of every dashboard', () => {
  const all = dashboards.flatMap((d) => extractQueries(d).map((q) => ({ q, values: sampleValues(d) })));

  it('includes PromQL from panels, variables and annotations, and LogQL from the logs panels', () => {
    expect(new Set(all.map(({ q }) => `${q.source}:${q.language}`))).toEqual(new Set(['panel:promql', 'panel:logql', 'variable:promql', 'annotation:promql']));
  });

  it.each(all.map(({ q, values }) => [`${q.dashboard} / ${q.name} ${q.refId ?? ''}`, q, values] as const))('parses: %s', (_name, q, values) => {
    expect(syntaxErrors(q.language, substitute(q.expr, values))).toEqual([]);
  });
});

describe('the parsers', () => {
  it('report an unbalanced PromQL expression', () => {
    expect(syntaxErrors('promql', 'sum(rate(x_total[1m])')).not.toEqual([]);
  });

  it('report a LogQL pipeline with a dangling operator', () => {
    expect(syntaxErrors('logql', '{service="a"} | json | request_id=~')).not.toEqual([]);
  });

  it('accept the request or trace ID filter of the logs panel with an empty and a filled search box', () => {
    const logs = extractQueries(broken()).find((q) => q.name === 'Logs')!;
    for (const search of ['', '4bf92f3577b34da6a3ce929d0e0e4736']) {
      expect(syntaxErrors('logql', substitute(logs.expr, { service: 'users', search }))).toEqual([]);
    }
  });
});
