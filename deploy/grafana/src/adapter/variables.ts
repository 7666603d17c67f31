/**
 * Dashboard variables. grafana-dash-gen builds them (its `Templates.Query` checks that a query
 * variable has a name and a datasource; `Templates.Custom` turns options into a query string);
 * `modernizeVariable` then rewrites its legacy state into what current Grafana stores: datasource
 * references by uid, query objects, refresh on time range change, no `allFormat`.
 */
import dashgen from 'grafana-dash-gen';
import { DATASOURCE, DATASOURCE_VARIABLE, PROMETHEUS } from './datasources.ts';
import type { VariableJson } from './types.ts';

/** A grafana-dash-gen template, or anything else the dashboard can `generate()` into state. */
export interface Template {
  generate(): Record<string, unknown>;
}

/** How Grafana sorts a query variable's values: 1 = alphabetical ascending. */
const SORT_ALPHABETICAL = 1;
/** Re-run a query variable when the time range changes, so new services appear. */
const REFRESH_ON_TIME_RANGE = 2;

/** A datasource picker of one plugin type, defaulting to the provisioned instance. */
export function datasourceVariable(name: string, plugin: 'prometheus' | 'loki', label: string): Template {
  return new dashgen.Templates.Custom({ name, label, type: 'datasource', query: plugin, options: [] });
}

/** The two datasource pickers every dashboard has: `${datasource}` (Prometheus) and `${loki}`. */
export function datasourceVariables(): Template[] {
  return [
    datasourceVariable(DATASOURCE_VARIABLE.prometheus, 'prometheus', 'Prometheus'),
    datasourceVariable(DATASOURCE_VARIABLE.loki, 'loki', 'Loki'),
  ];
}

export interface QueryVariableOptions {
  readonly label: string;
  /** Offer "All", sent as `allValue` (a regex matching every value). */
  readonly includeAll?: boolean;
  readonly multi?: boolean;
  /** Regex used for "All" (default `.*`). */
  readonly allValue?: string;
  /** Hide the picker (value chosen by a link or a repeat). */
  readonly hide?: boolean;
}

/** A variable whose values come from a Prometheus query such as `label_values(up, job)`. */
export function queryVariable(name: string, query: string, options: QueryVariableOptions): Template {
  const { label, includeAll = false, multi = false, allValue = '.*', hide = false } = options;
  return new dashgen.Templates.Query(query, {
    name,
    label,
    datasource: PROMETHEUS.uid,
    includeAll,
    multi,
    allValue: includeAll ? allValue : null,
    refresh: false,
    ...(hide ? { hide: 2 } : {}),
  });
}

/** A free-text box (e.g. a request ID to search for), empty by default. */
export function textVariable(name: string, label: string): Template {
  return new dashgen.Templates.Custom({ name, label, type: 'textbox', query: '', options: [] });
}

/** A fixed list of values, the first selected. */
export function customVariable(name: string, label: string, values: readonly string[]): Template {
  return new dashgen.Templates.Custom({ name, label, options: [...values] });
}

type Legacy = Record<string, unknown>;

function datasourceDefault(plugin: string): { text: string; value: string } {
  const provisioned = Object.values(DATASOURCE).find((d) => d.type === plugin);
  if (!provisioned) throw new Error(`datasource variable: invalid plugin "${plugin}" - expected one of ${Object.values(DATASOURCE).map((d) => d.type).join(', ')}`);
  return { text: provisioned.uid, value: provisioned.uid };
}

function modernizeQuery(state: Legacy): VariableJson {
  const query = String(state.query);
  const includeAll = Boolean(state.includeAll);
  return {
    name: String(state.name),
    label: String(state.label),
    type: 'query',
    datasource: PROMETHEUS,
    definition: query,
    query: { query, refId: 'PrometheusVariableQueryEditor-VariableQuery', qryType: 1 },
    refresh: REFRESH_ON_TIME_RANGE,
    sort: SORT_ALPHABETICAL,
    regex: typeof state.regex === 'string' ? state.regex : '',
    includeAll,
    multi: Boolean(state.multi),
    ...(includeAll ? { allValue: state.allValue, current: { text: 'All', value: '$__all' } } : { current: {} }),
    options: [],
    hide: typeof state.hide === 'number' ? state.hide : 0,
  };
}

function modernizeCustom(state: Legacy): VariableJson {
  const options = state.options as { text: string; value: string }[];
  const current = state.current as { text?: string; value?: string };
  return {
    name: String(state.name),
    label: String(state.label),
    type: 'custom',
    query: String(state.query),
    options: options.map((o) => ({ text: o.text, value: o.value, selected: o.value === current.value })),
    current: { text: current.text, value: current.value },
    includeAll: false,
    multi: false,
    hide: 0,
  };
}

/** Rewrites one legacy template state from grafana-dash-gen into a current variable. */
export function modernizeVariable(state: Legacy): VariableJson {
  const name = String(state.name);
  const label = String(state.label ?? name);
  switch (state.type) {
    case 'datasource':
      return { name, label, type: 'datasource', query: String(state.query), current: datasourceDefault(String(state.query)), regex: '', refresh: 1, hide: 0, includeAll: false, multi: false, options: [] };
    case 'textbox':
      return { name, label, type: 'textbox', query: String(state.query), current: { text: String(state.query), value: String(state.query) }, hide: 0, options: [] };
    case 'query':
      return modernizeQuery(state);
    case 'custom':
      return modernizeCustom(state);
    default:
      throw new Error(`variable "${name}": invalid type ${JSON.stringify(state.type)} - expected datasource, textbox, query or custom`);
  }
}
