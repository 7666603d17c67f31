/**
 * Finds every query in a dashboard's JSON: panel targets (rows and collapsed rows included),
 * query variables and annotations, each with where it came from.
 */
import type { DashboardJson, PanelJson } from '../adapter/types.ts';

/** Query language of an expression, from its datasource type. */
export type Language = 'promql' | 'logql';

export interface FoundQuery {
  readonly dashboard: string;
  /** `panel`, `variable` or `annotation`. */
  readonly source: 'panel' | 'variable' | 'annotation';
  /** Panel title, variable name or annotation name. */
  readonly name: string;
  readonly panelId?: number;
  readonly refId?: string;
  readonly language: Language;
  readonly expr: string;
}

const LANGUAGE: Readonly<Record<string, Language>> = { prometheus: 'promql', loki: 'logql' };

/** Every panel of a dashboard, with those inside collapsed rows. */
export function allPanels(dashboard: DashboardJson): PanelJson[] {
  return dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
}

/** The series selector inside a `label_values(selector, label)` variable query, or the query. */
export function variableSelector(definition: string): string | undefined {
  const match = /^\s*label_values\(\s*(.*?)\s*,\s*[a-zA-Z_][a-zA-Z0-9_]*\s*\)\s*$/s.exec(definition);
  if (match) return match[1];
  return /^\s*(label_names|metrics)\(/.test(definition) ? undefined : definition;
}

/** Every query of `dashboard`. */
export function extractQueries(dashboard: DashboardJson): FoundQuery[] {
  const found: FoundQuery[] = [];
  for (const panel of allPanels(dashboard)) {
    for (const target of panel.targets ?? []) {
      const language = LANGUAGE[target.datasource.type];
      if (!language) throw new Error(`${dashboard.uid} panel "${panel.title}": invalid datasource type "${target.datasource.type}" - expected prometheus or loki`);
      found.push({ dashboard: dashboard.uid, source: 'panel', name: panel.title, panelId: panel.id, refId: target.refId, language, expr: target.expr });
    }
  }
  for (const variable of dashboard.templating.list) {
    if (variable.type !== 'query') continue;
    const selector = variableSelector(String(variable.definition));
    if (selector) found.push({ dashboard: dashboard.uid, source: 'variable', name: variable.name, language: 'promql', expr: selector });
  }
  for (const annotation of dashboard.annotations.list) {
    const language = LANGUAGE[annotation.datasource.type];
    if (language && typeof annotation.expr === 'string') {
      found.push({ dashboard: dashboard.uid, source: 'annotation', name: annotation.name, language, expr: annotation.expr });
    }
  }
  return found;
}

/** `uid / source "name" refId` for messages. */
export function describeQuery(query: FoundQuery): string {
  return `${query.dashboard} / ${query.source} "${query.name}"${query.refId ? ` ${query.refId}` : ''}`;
}
