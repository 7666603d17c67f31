import { describe, expect, it } from 'vitest';
import { DashboardBuilder, SCHEMA_VERSION } from '../src/adapter/dashboard.ts';
import { layout } from '../src/adapter/layout.ts';
import { GaugePanel, HeatmapPanel, LogsPanel, StatPanel, TablePanel, TextPanel, TimeseriesPanel } from '../src/adapter/panels.ts';
import { loki, prom } from '../src/adapter/targets.ts';
import { customVariable, queryVariable, textVariable } from '../src/adapter/variables.ts';
import { prometheusAnnotation } from '../src/adapter/annotations.ts';
import { allPanels } from '../src/check/extract.ts';
import { noGraphite } from '../src/check/lint.ts';
import { dashboards } from './helpers.ts';

const base = { description: 'what it answers', unit: 'reqps' } as const;

function sample(): DashboardBuilder {
  return new DashboardBuilder({ uid: 'sample', title: 'Sample', description: 'a sample', tags: ['t'] })
    .variable(queryVariable('service', 'label_values(up, job)', { label: 'Service' }))
    .variable(customVariable('quantile', 'Quantile', ['0.5', '0.99']))
    .variable(textVariable('search', 'Search'))
    .annotation(prometheusAnnotation({ name: 'Deploys', expr: 'up', color: 'blue', titleFormat: 't', textFormat: 'x', tagKeys: ['job'] }))
    .section({
      panels: [
        new TimeseriesPanel({ ...base, title: 'ts', targets: [prom('up', { legend: '{{job}}', exemplar: true })] }),
        new StatPanel({ ...base, title: 'stat', targets: [prom('up', { instant: true })] }),
        new GaugePanel({ ...base, title: 'gauge', min: 0, max: 1, targets: [prom('up')] }),
        new HeatmapPanel({ ...base, title: 'heat', targets: [prom('up', { format: 'heatmap' })] }),
        new TablePanel({ ...base, title: 'table', targets: [prom('up', { instant: true, format: 'table' })] }),
        new LogsPanel({ ...base, title: 'logs', targets: [loki('{service="x"}')] }),
        new TextPanel({ ...base, title: 'text', content: '# hi' }),
      ],
    });
}

describe('the dashboard adapter', () => {
  it('writes current dashboard JSON: uid, schemaVersion, panels[] and no legacy rows', () => {
    const json = sample().toJson();
    expect(json.uid).toBe('sample');
    expect(json.schemaVersion).toBe(SCHEMA_VERSION);
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(39);
    expect(json).not.toHaveProperty('rows');
    expect(json.panels.map((p) => p.type)).toEqual(['timeseries', 'stat', 'gauge', 'heatmap', 'table', 'logs', 'text']);
  });

  it('emits Prometheus targets with refId, expr, legendFormat and a datasource variable', () => {
    const [target] = sample().toJson().panels[0]!.targets!;
    expect(target).toMatchObject({ refId: 'A', expr: 'up', legendFormat: '{{job}}', exemplar: true, datasource: { type: 'prometheus', uid: '${datasource}' } });
  });

  it('emits Loki targets against the ${loki} variable', () => {
    const logs = sample().toJson().panels.find((p) => p.type === 'logs')!;
    expect(logs.targets![0]).toMatchObject({ refId: 'A', expr: '{service="x"}', datasource: { type: 'loki', uid: '${loki}' } });
  });

  it('turns grafana-dash-gen variables and annotations into current ones', () => {
    const json = sample().toJson();
    expect(json.templating.list.map((v) => [v.name, v.type])).toEqual([
      ['datasource', 'datasource'],
      ['loki', 'datasource'],
      ['service', 'query'],
      ['quantile', 'custom'],
      ['search', 'textbox'],
    ]);
    expect(json.templating.list[2]).toMatchObject({ datasource: { type: 'prometheus', uid: '${datasource}' }, definition: 'label_values(up, job)', refresh: 2 });
    expect(json.templating.list[2]).not.toHaveProperty('allFormat');
    expect(json.annotations.list[1]).toMatchObject({ name: 'Deploys', expr: 'up', datasource: { type: 'prometheus', uid: '${datasource}' } });
    expect(json.annotations.list[1]).not.toHaveProperty('target');
  });

  it('leaves no Graphite target or datasource in any generated dashboard', () => {
    for (const dashboard of dashboards) expect(noGraphite(dashboard)).toEqual([]);
  });

  it('finds a Graphite target when one is left in', () => {
    const json = sample().toJson();
    (json.panels[0]!.targets![0] as Record<string, unknown>).target = 'servers.*.cpu';
    expect(noGraphite(json)).toEqual(['sample: Graphite target at $.panels[0].targets[0].target']);
  });

  it('wraps panels onto a new line when the next one does not fit in 24 columns', () => {
    const panel = (title: string, width: number, height = 8) => new StatPanel({ ...base, title, width, height, targets: [prom('up')] });
    const placed = layout([{ panels: [panel('a', 12), panel('b', 8, 5), panel('c', 8)] }, { title: 'row', panels: [panel('d', 24)] }]);
    expect(placed.map((p) => [p.id, p.title, p.gridPos])).toEqual([
      [1, 'a', { x: 0, y: 0, w: 12, h: 8 }],
      [2, 'b', { x: 12, y: 0, w: 8, h: 5 }],
      [3, 'c', { x: 0, y: 8, w: 8, h: 8 }],
      [4, 'row', { x: 0, y: 16, w: 24, h: 1 }],
      [5, 'd', { x: 0, y: 17, w: 24, h: 8 }],
    ]);
  });

  it('puts the panels of a collapsed row inside the row', () => {
    const placed = layout([{ title: 'folded', collapsed: true, panels: [new StatPanel({ ...base, title: 'inner', targets: [prom('up')] })] }]);
    expect(placed).toHaveLength(1);
    expect(placed[0]!.panels!.map((p) => p.title)).toEqual(['inner']);
  });

  it('refuses a panel without a description, with a message naming it', () => {
    expect(() => new StatPanel({ title: 'x', description: ' ', unit: 's' })).toThrow('panel "x": invalid description "" - expected what it answers');
  });

  it('refuses a panel without a unit', () => {
    expect(() => new StatPanel({ title: 'x', description: 'd', unit: '' })).toThrow('panel "x": invalid unit "" - expected a Grafana unit id');
  });

  it('refuses a panel wider than the grid', () => {
    expect(() => new StatPanel({ ...base, title: 'x', width: 25 })).toThrow('panel "x": invalid width 25 - expected 1 to 24');
  });

  it('refuses a panel mixing Prometheus and Loki targets', () => {
    expect(() => new TimeseriesPanel({ ...base, title: 'x', targets: [prom('up'), loki('{a="b"}')] })).toThrow('panel "x": targets of prometheus and loki - expected one datasource per panel');
  });

  it('refuses a uid longer than 40 characters', () => {
    expect(() => new DashboardBuilder({ uid: 'u'.repeat(41), title: 'T', description: 'd', tags: [] })).toThrow(`dashboard "T": invalid uid "${'u'.repeat(41)}" - expected 1 to 40 of [a-zA-Z0-9_-]`);
  });

  it('gives the five dashboards their fixed uids and every panel a title, description and unit', () => {
    expect(dashboards.map((d) => d.uid)).toEqual(['periscope-services-overview', 'periscope-service-detail', 'periscope-nodejs-runtime', 'periscope-host', 'periscope-slos']);
    for (const panel of dashboards.flatMap(allPanels).filter((p) => p.type !== 'row')) {
      expect(panel.title, JSON.stringify(panel.gridPos)).not.toBe('');
      expect(panel.description, panel.title).toBeTruthy();
      expect(panel.fieldConfig?.defaults.unit, panel.title).toBeTruthy();
    }
  });
});
