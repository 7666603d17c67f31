/**
 * Annotations. grafana-dash-gen only knows Graphite annotations (a `target` string on a
 * `graphite` datasource); `prometheusAnnotation` builds one with it and `modernizeAnnotation`
 * turns it into a Prometheus annotation (`expr`, a datasource reference by uid).
 */
import dashgen from 'grafana-dash-gen';
import { GRAFANA, PROMETHEUS } from './datasources.ts';
import type { AnnotationJson } from './types.ts';
import type { Template } from './variables.ts';

export interface PrometheusAnnotationOptions {
  readonly name: string;
  /** PromQL; every sample of every series marks a point in time. */
  readonly expr: string;
  readonly color: string;
  /** Title of each mark, with `{{label}}` placeholders. */
  readonly titleFormat: string;
  /** Text of each mark, with `{{label}}` placeholders. */
  readonly textFormat: string;
  /** Labels shown as tags on each mark. */
  readonly tagKeys: readonly string[];
}

/** An annotation from a PromQL query (e.g. deploys), carried by a grafana-dash-gen annotation. */
export function prometheusAnnotation(options: PrometheusAnnotationOptions): Template {
  const { name, expr, color, titleFormat, textFormat, tagKeys } = options;
  return new dashgen.Annotations.Graphite({
    name,
    target: expr,
    iconColor: color,
    titleFormat,
    textFormat,
    tagKeys: tagKeys.join(','),
  });
}

/** Grafana's own annotations and alerts, which every dashboard lists first. */
export function builtInAnnotation(): AnnotationJson {
  return {
    builtIn: 1,
    datasource: GRAFANA,
    enable: true,
    hide: true,
    iconColor: 'rgba(0, 211, 255, 1)',
    name: 'Annotations & Alerts',
    type: 'dashboard',
  };
}

/** Rewrites a grafana-dash-gen (Graphite) annotation into a Prometheus one. */
export function modernizeAnnotation(state: Record<string, unknown>): AnnotationJson {
  const { name, target, iconColor, titleFormat, textFormat, tagKeys } = state;
  if (typeof target !== 'string' || target === '') throw new Error(`annotation "${String(name)}": invalid target ${JSON.stringify(target)} - expected a PromQL expression`);
  return {
    name: String(name),
    datasource: PROMETHEUS,
    enable: true,
    hide: false,
    iconColor: String(iconColor),
    expr: target,
    step: '$__interval',
    titleFormat: String(titleFormat),
    textFormat: String(textFormat),
    tagKeys: String(tagKeys),
    useValueForTime: false,
  };
}
