/**
 * Prometheus and Loki targets: what grafana-dash-gen's Graphite `Target` cannot express.
 * A target is built without its refId; the panel that holds it assigns A, B, C… in order.
 */
import { LOKI, PROMETHEUS } from './datasources.ts';
import type { DatasourceRef, TargetJson } from './types.ts';

/** How Grafana asks Prometheus: a range query for graphs, an instant one for stats and tables. */
export interface PromTargetOptions {
  /** Series name template, e.g. `{{http_route}}`; `__auto` lets Grafana choose. */
  readonly legend?: string;
  /** Instant query (one value per series) instead of a range query. */
  readonly instant?: boolean;
  /** `heatmap` for bucket series, `table` for tables; `time_series` otherwise. */
  readonly format?: 'time_series' | 'table' | 'heatmap';
  /** Ask for exemplars (trace IDs) with the samples: latency panels. */
  readonly exemplar?: boolean;
  /** Minimum step, e.g. `1m`. */
  readonly interval?: string;
  /** Hide the series from the panel (used by another target or a transformation). */
  readonly hide?: boolean;
}

/** A query of any kind before the panel numbers it. */
export interface Target {
  readonly datasource: DatasourceRef;
  readonly expr: string;
  /** The target's JSON for a given refId. */
  toJson(refId: string): TargetJson;
}

/** A PromQL query against the `${datasource}` variable. */
export class PromTarget implements Target {
  readonly datasource = PROMETHEUS;
  readonly expr: string;
  readonly options: PromTargetOptions;

  constructor(expr: string, options: PromTargetOptions = {}) {
    if (expr.trim() === '') throw new Error('PromTarget: invalid expr "" - expected a PromQL expression');
    this.expr = expr;
    this.options = options;
  }

  toJson(refId: string): TargetJson {
    const { legend = '__auto', instant = false, format = 'time_series', exemplar = false, interval, hide } = this.options;
    return {
      refId,
      datasource: this.datasource,
      editorMode: 'code',
      expr: this.expr,
      legendFormat: legend,
      range: !instant,
      instant,
      format,
      exemplar,
      ...(interval === undefined ? {} : { interval }),
      ...(hide === undefined ? {} : { hide }),
    };
  }
}

/** A LogQL query against the `${loki}` variable. */
export class LokiTarget implements Target {
  readonly datasource = LOKI;
  readonly expr: string;
  readonly legend: string | undefined;

  constructor(expr: string, legend?: string) {
    if (expr.trim() === '') throw new Error('LokiTarget: invalid expr "" - expected a LogQL expression');
    this.expr = expr;
    this.legend = legend;
  }

  toJson(refId: string): TargetJson {
    return {
      refId,
      datasource: this.datasource,
      editorMode: 'code',
      expr: this.expr,
      queryType: 'range',
      ...(this.legend === undefined ? {} : { legendFormat: this.legend }),
    };
  }
}

/** Shorthand for `new PromTarget(expr, options)`. */
export function prom(expr: string, options: PromTargetOptions = {}): PromTarget {
  return new PromTarget(expr, options);
}

/** Shorthand for `new LokiTarget(expr)`. */
export function loki(expr: string, legend?: string): LokiTarget {
  return new LokiTarget(expr, legend);
}
