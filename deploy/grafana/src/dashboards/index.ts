/**
 * Every dashboard, by the file name it is written to under deploy/grafana/dashboards/.
 */
import type { DashboardJson } from '../adapter/types.ts';
import { host } from './host.ts';
import { nodejsRuntime } from './nodejs-runtime.ts';
import { serviceDetail } from './service-detail.ts';
import { servicesOverview } from './services-overview.ts';
import { slos } from './slos.ts';

/** Builders of all dashboards; the file is `<uid>.json`. */
export const DASHBOARDS: readonly (() => DashboardJson)[] = Object.freeze([servicesOverview, serviceDetail, nodejsRuntime, host, slos]);

/** Builds every dashboard, keyed by file name. */
export function buildAll(): Map<string, DashboardJson> {
  return new Map(DASHBOARDS.map((build) => {
    const dashboard = build();
    return [`${dashboard.uid}.json`, dashboard];
  }));
}
