/**
 * A dashboard linter in the spirit of Grafana's dashboard-linter. Each rule returns messages
 * naming the dashboard and the panel; an empty list means the dashboard passes.
 */
import { SLO_WINDOW } from '@periscope/stack';
import { MAX_UID_LENGTH } from '../adapter/dashboard.ts';
import { DATASOURCE_VARIABLE } from '../adapter/datasources.ts';
import { GRID_COLUMNS } from '../adapter/layout.ts';
import type { DashboardJson, PanelJson } from '../adapter/types.ts';
import { allPanels, describeQuery, extractQueries } from './extract.ts';
import { substitute } from './substitute.ts';
import { countersOutsideRate, rateWindows, syntaxErrors } from './syntax.ts';

/** Oldest schema version accepted: Grafana 11's. */
export const MIN_SCHEMA_VERSION = 39;

/** Panel types the dashboards may use; `graph` and `singlestat` are retired. */
export const PANEL_TYPES: ReadonlySet<string> = new Set(['row', 'timeseries', 'stat', 'gauge', 'heatmap', 'table', 'logs', 'text']);

const RATE_INTERVAL = '$__rate_interval';

/**
 * Rate windows accepted: Grafana's, and the SLO compliance window (an SLI or error budget over
 * the whole window is a rate over it by definition, whatever the time range shown).
 */
export const RATE_WINDOWS: ReadonlySet<string> = new Set([RATE_INTERVAL, SLO_WINDOW]);

export type Rule = (dashboard: DashboardJson) => string[];

/** Sample values for each variable of a dashboard: what a query would see by default. */
export function sampleValues(dashboard: DashboardJson): Record<string, string> {
  const values: Record<string, string> = {};
  for (const v of dashboard.templating.list) {
    const current = (v.current ?? {}) as { value?: unknown };
    if (v.type === 'datasource') values[v.name] = String(current.value ?? '');
    else if (v.type === 'textbox') values[v.name] = String(current.value ?? '');
    else if (v.includeAll || v.multi) values[v.name] = String(v.allValue ?? '.*');
    else if (typeof current.value === 'string' && current.value !== '') values[v.name] = current.value;
    else values[v.name] = 'sample';
  }
  return values;
}

const where = (d: DashboardJson, p: PanelJson) => `${d.uid} / panel ${p.id} "${p.title}"`;

/** The dashboard has a uid Grafana accepts and a current schema, and no legacy layout. */
export const dashboardShape: Rule = (d) => {
  const problems: string[] = [];
  if (!d.uid || d.uid.length > MAX_UID_LENGTH) problems.push(`${d.title}: uid "${d.uid}" - expected 1 to ${MAX_UID_LENGTH} characters`);
  if (!(d.schemaVersion >= MIN_SCHEMA_VERSION)) problems.push(`${d.uid}: schemaVersion ${d.schemaVersion} - expected ${MIN_SCHEMA_VERSION} or later`);
  if ('rows' in d) problems.push(`${d.uid}: legacy "rows" - expected panels[] only`);
  for (const name of Object.values(DATASOURCE_VARIABLE)) {
    if (!d.templating.list.some((v) => v.name === name && v.type === 'datasource')) problems.push(`${d.uid}: no datasource variable "${name}"`);
  }
  return problems;
};

/** Current panel types only; every panel has a title, a description and a unit. */
export const panelBasics: Rule = (d) =>
  allPanels(d).flatMap((p) => {
    const problems: string[] = [];
    if (!PANEL_TYPES.has(p.type)) problems.push(`${where(d, p)}: type "${p.type}" - expected one of ${[...PANEL_TYPES].join(', ')}`);
    if (p.type === 'row') return problems;
    if (!p.title?.trim()) problems.push(`${where(d, p)}: no title`);
    if (!p.description?.trim()) problems.push(`${where(d, p)}: no description`);
    if (!p.fieldConfig?.defaults.unit) problems.push(`${where(d, p)}: no unit`);
    return problems;
  });

/** Every panel and target with a datasource reaches it through a datasource variable. */
export const datasourceVariables: Rule = (d) =>
  allPanels(d).flatMap((p) => {
    if (p.type === 'row' || p.type === 'text') return [];
    const refs = [p.datasource, ...(p.targets ?? []).map((t) => t.datasource)];
    const problems = refs.filter((ref) => !ref || !/^\$\{[a-zA-Z_]\w*\}$/.test(ref.uid)).map((ref) => `${where(d, p)}: datasource ${JSON.stringify(ref ?? null)} - expected a \${variable} uid`);
    if ((p.targets ?? []).length === 0) problems.push(`${where(d, p)}: no targets`);
    return problems;
  });

/** No Graphite anywhere: no `target` strings, no graphite datasource. */
export const noGraphite: Rule = (d) => {
  const problems: string[] = [];
  const visit = (value: unknown, path: string): void => {
    if (Array.isArray(value)) value.forEach((v, i) => visit(v, `${path}[${i}]`));
    else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k === 'target' && typeof v === 'string') problems.push(`${d.uid}: Graphite target at ${path}.target`);
        if (k === 'datasource' && (v === 'graphite' || (typeof v === 'object' && v !== null && (v as { type?: string }).type === 'graphite'))) problems.push(`${d.uid}: Graphite datasource at ${path}`);
        visit(v, `${path}.${k}`);
      }
    }
  };
  visit(d, '$');
  return problems;
};

/** Panels inside the 24 columns, never overlapping, with unique ids. */
export const grid: Rule = (d) => {
  const problems: string[] = [];
  const seen = new Map<number, string>();
  for (const p of allPanels(d)) {
    if (seen.has(p.id)) problems.push(`${where(d, p)}: id ${p.id} already used by "${seen.get(p.id)}"`);
    seen.set(p.id, p.title);
    const { x, y, w, h } = p.gridPos;
    if (x < 0 || y < 0 || w < 1 || h < 1 || x + w > GRID_COLUMNS) problems.push(`${where(d, p)}: gridPos ${JSON.stringify(p.gridPos)} - expected inside ${GRID_COLUMNS} columns`);
  }
  const groups = [d.panels, ...d.panels.filter((p) => p.collapsed).map((p) => p.panels ?? [])];
  for (const group of groups) {
    group.forEach((a, i) => {
      for (const b of group.slice(i + 1)) {
        const overlap = a.gridPos.x < b.gridPos.x + b.gridPos.w && b.gridPos.x < a.gridPos.x + a.gridPos.w && a.gridPos.y < b.gridPos.y + b.gridPos.h && b.gridPos.y < a.gridPos.y + a.gridPos.h;
        if (overlap) problems.push(`${where(d, a)} overlaps panel ${b.id} "${b.title}"`);
      }
    });
  }
  return problems;
};

/** Every query parses once its variables are substituted; every variable it uses is defined. */
export const queriesParse: Rule = (d) => {
  const values = sampleValues(d);
  return extractQueries(d).flatMap((q) => {
    try {
      return syntaxErrors(q.language, substitute(q.expr, values)).map((e) => `${describeQuery(q)}: ${q.language} syntax error at ${e}`);
    } catch (error) {
      return [`${describeQuery(q)}: ${(error as Error).message}`];
    }
  });
};

/**
 * Counters only through rate()/increase(); rate windows are `$__rate_interval` (or the SLO
 * compliance window). Variable queries are exempt: `label_values()` reads label values, not samples.
 */
export const counters: Rule = (d) =>
  extractQueries(d)
    .filter((q) => q.language === 'promql' && q.source !== 'variable')
    .flatMap((q) => [
      ...countersOutsideRate(q.expr).map((s) => `${describeQuery(q)}: counter ${s} outside rate()/increase()`),
      ...rateWindows(q.expr).filter((w) => !RATE_WINDOWS.has(w)).map((w) => `${describeQuery(q)}: rate window [${w}] - expected [${RATE_INTERVAL}]`),
    ]);

/** Every rule, in the order their messages are reported. */
export const RULES: readonly Rule[] = Object.freeze([dashboardShape, panelBasics, datasourceVariables, noGraphite, grid, queriesParse, counters]);

/** Every problem of `dashboard`; empty when it passes. */
export function lint(dashboard: DashboardJson): string[] {
  return RULES.flatMap((rule) => rule(dashboard));
}
