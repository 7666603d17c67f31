/**
 * What several dashboards share: their uids, the service variable, the header links between
 * them, the deploy annotation, and the units used.
 */
import { LABEL } from '@periscope/instrument/contract';
import { prometheusAnnotation } from '../adapter/annotations.ts';
import type { DashboardBuilder } from '../adapter/dashboard.ts';
import { queryVariable } from '../adapter/variables.ts';
import type { Template } from '../adapter/variables.ts';
import { deploys, servicesVariable } from '../queries/alerts.ts';
import { VARIABLE } from '../queries/promql.ts';

/** Dashboard uids: stable, so links, alerts and bookmarks keep working. */
export const UID = Object.freeze({
  overview: 'periscope-services-overview',
  service: 'periscope-service-detail',
  runtime: 'periscope-nodejs-runtime',
  host: 'periscope-host',
  slos: 'periscope-slos',
} as const);

/** Tags every Periscope dashboard carries (header links find each other by uid). */
export const TAGS = ['periscope'] as const;

/** Grafana unit ids used by the panels. */
export const UNIT = Object.freeze({
  reqps: 'reqps',
  ratio: 'percentunit',
  seconds: 's',
  bytes: 'bytes',
  bytesPerSecond: 'Bps',
  perSecond: 'ops',
  count: 'short',
  none: 'none',
} as const);

/** Colors of thresholds and annotations. */
export const COLOR = Object.freeze({ ok: 'green', warn: 'orange', bad: 'red', deploy: 'rgba(31, 120, 193, 0.8)' } as const);

/** `$service`: one service (Prometheus job) reporting a build. */
export function serviceVariable(options: { multi?: boolean } = {}): Template {
  const multi = options.multi ?? false;
  return queryVariable(VARIABLE.service, servicesVariable(), { label: 'Service', multi, includeAll: multi });
}

/** Marks each deploy of `$service` with its version and commit. */
export function deployAnnotation(): Template {
  return prometheusAnnotation({
    name: 'Deploys',
    expr: deploys(),
    color: COLOR.deploy,
    titleFormat: `Deploy {{${LABEL.version}}}`,
    textFormat: `commit {{${LABEL.commit}}}`,
    tagKeys: [LABEL.version, LABEL.commit],
  });
}

const LINKS = [
  { uid: UID.overview, title: 'Services overview', tooltip: 'RED of every service' },
  { uid: UID.service, title: 'Service detail', tooltip: 'RED per route, dependencies and logs of one service' },
  { uid: UID.runtime, title: 'Node.js runtime', tooltip: 'USE of the Node.js processes and application resources' },
  { uid: UID.host, title: 'Host', tooltip: 'USE of the hosts (node exporter)' },
  { uid: UID.slos, title: 'SLOs', tooltip: 'Objectives, error budgets and burn rates' },
] as const;

/** Adds header links to every other Periscope dashboard. */
export function linkOthers(dashboard: DashboardBuilder): DashboardBuilder {
  for (const link of LINKS) if (link.uid !== dashboard.uid) dashboard.link(link);
  return dashboard;
}

/** A data link to the service detail dashboard for the series' job, keeping the time range. */
export function serviceDetailLink(jobField = '${__field.labels.job}'): { title: string; url: string } {
  return { title: 'Service detail', url: `/d/${UID.service}?var-${VARIABLE.service}=${jobField}&\${__url_time_range}` };
}
