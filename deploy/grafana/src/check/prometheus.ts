/**
 * Runs a dashboard's PromQL against a real Prometheus, the way Grafana would on load: variables
 * resolved from Prometheus (first value, or "All"), Grafana's interval variables substituted,
 * every panel target sent to /api/v1/query. Reports the targets that return nothing.
 */
import type { DashboardJson, VariableJson } from '../adapter/types.ts';
import { extractQueries, variableSelector } from './extract.ts';
import { BUILTIN_DEFAULTS, substitute } from './substitute.ts';

/** A panel target that returned no series (or failed), by dashboard and panel title. */
export interface EmptyTarget {
  readonly dashboard: string;
  readonly panel: string;
  readonly refId: string;
  /** The expression as sent, variables substituted. */
  readonly expr: string;
  /** `no data`, or Prometheus's error. */
  readonly reason: string;
}

export interface RunOptions {
  /** Values that win over resolved ones, e.g. `{ service: 'frontend', __rate_interval: '20s' }`. */
  readonly values?: Readonly<Record<string, string>>;
  /** Per-request timeout in milliseconds (default 10 s). */
  readonly timeoutMs?: number;
}

interface ApiResponse<T> {
  status: 'success' | 'error';
  data?: T;
  error?: string;
}

async function api<T>(baseUrl: string, path: string, params: Record<string, string>, timeoutMs: number): Promise<T> {
  const url = new URL(path, baseUrl);
  url.search = new URLSearchParams(params).toString();
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  const text = await response.text();
  let body: ApiResponse<T>;
  try {
    body = JSON.parse(text) as ApiResponse<T>;
  } catch {
    throw new Error(`HTTP ${response.status} from ${path}: ${text.slice(0, 200)}`);
  }
  if (body.status !== 'success') throw new Error(body.error ?? `HTTP ${response.status} from ${path}`);
  return body.data as T;
}

/** Series returned by an instant query of `expr`. */
export async function instantQuery(baseUrl: string, expr: string, timeoutMs = 10_000): Promise<unknown[]> {
  const data = await api<{ resultType: string; result: unknown }>(baseUrl, '/api/v1/query', { query: expr }, timeoutMs);
  return Array.isArray(data.result) ? data.result : [data.result];
}

function labelOf(definition: string): string | undefined {
  return /,\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\)\s*$/.exec(definition)?.[1];
}

async function resolveVariable(baseUrl: string, variable: VariableJson, values: Record<string, string>, timeoutMs: number): Promise<string> {
  const current = (variable.current ?? {}) as { value?: unknown };
  if (variable.type === 'datasource' || variable.type === 'textbox' || variable.type === 'custom') return String(current.value ?? '');
  if (variable.includeAll) return String(variable.allValue ?? '.*');
  const definition = String(variable.definition);
  const label = labelOf(definition);
  const selector = variableSelector(definition);
  if (!label || !selector) throw new Error(`variable "${variable.name}": unsupported query ${JSON.stringify(definition)} - expected label_values(selector, label)`);
  const found = await api<string[]>(baseUrl, `/api/v1/label/${label}/values`, { 'match[]': substitute(selector, values) }, timeoutMs);
  if (found.length === 0) throw new Error(`variable "${variable.name}": no values for ${definition}`);
  return [...found].sort()[0]!;
}

/**
 * The value of every variable of `dashboard` as Grafana would pick it on load: the datasource
 * uid, "All" (the allValue regex), or the first value Prometheus knows; `overrides` win.
 */
export async function resolveVariables(baseUrl: string, dashboard: DashboardJson, options: RunOptions = {}): Promise<Record<string, string>> {
  const overrides = options.values ?? {};
  const values: Record<string, string> = { ...BUILTIN_DEFAULTS, ...overrides };
  for (const variable of dashboard.templating.list) {
    if (overrides[variable.name] !== undefined) continue;
    values[variable.name] = await resolveVariable(baseUrl, variable, values, options.timeoutMs ?? 10_000);
  }
  return values;
}

/** Runs every PromQL panel target of `dashboard`; returns those with no series, in panel order. */
export async function emptyTargets(baseUrl: string, dashboard: DashboardJson, options: RunOptions = {}): Promise<EmptyTarget[]> {
  const values = await resolveVariables(baseUrl, dashboard, options);
  const empty: EmptyTarget[] = [];
  for (const query of extractQueries(dashboard)) {
    if (query.source !== 'panel' || query.language !== 'promql') continue;
    const expr = substitute(query.expr, values);
    const report = (reason: string) => empty.push({ dashboard: dashboard.uid, panel: query.name, refId: query.refId!, expr, reason });
    try {
      const series = await instantQuery(baseUrl, expr, options.timeoutMs);
      if (series.length === 0) report('no data');
    } catch (error) {
      report((error as Error).message);
    }
  }
  return empty;
}

/** Titles of the panels with at least one empty target, without duplicates. */
export function emptyPanelTitles(empty: readonly EmptyTarget[]): string[] {
  return [...new Set(empty.map((e) => `${e.dashboard} / ${e.panel}`))];
}
