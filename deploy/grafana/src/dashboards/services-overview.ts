/**
 * Services overview: is any service unhealthy right now? One row per service (a row repeated
 * over `$service`) with its request rate, error ratio, p50/p99 latency, in-flight requests and
 * firing alerts; above them, every service side by side.
 */
import { DashboardBuilder } from '../adapter/dashboard.ts';
import { StatPanel, TimeseriesPanel, thresholds } from '../adapter/panels.ts';
import { prom } from '../adapter/targets.ts';
import type { DashboardJson } from '../adapter/types.ts';
import { firingAlerts } from '../queries/alerts.ts';
import { VARIABLE } from '../queries/promql.ts';
import { activeRequests, errorRatio, errorRatioByService, latency, requestRate, requestRateByService } from '../queries/red.ts';
import { COLOR, TAGS, UID, UNIT, deployAnnotation, linkOthers, serviceDetailLink, serviceVariable } from './common.ts';

const ERROR_THRESHOLDS = thresholds(COLOR.ok, [COLOR.warn, 0.01], [COLOR.bad, 0.05]);

function comparison() {
  return [
    new TimeseriesPanel({
      title: 'Request rate by service',
      description: 'Requests per second each service answers (health checks excluded). A sudden drop is as suspicious as a spike.',
      unit: UNIT.reqps,
      targets: [prom(requestRateByService(), { legend: '{{job}}' })],
      links: [serviceDetailLink()],
    }),
    new TimeseriesPanel({
      title: 'Error ratio by service',
      description: 'Share of each service\'s requests answered with a 5xx status.',
      unit: UNIT.ratio,
      thresholds: ERROR_THRESHOLDS,
      targets: [prom(errorRatioByService(), { legend: '{{job}}' })],
      links: [serviceDetailLink()],
    }),
  ];
}

function serviceRow() {
  const link = serviceDetailLink(`\${${VARIABLE.service}}`);
  return [
    new TimeseriesPanel({
      title: 'Request rate',
      description: 'Requests per second the service answers.',
      unit: UNIT.reqps,
      width: 5,
      height: 7,
      targets: [prom(requestRate({}), { legend: 'requests' })],
      links: [link],
    }),
    new TimeseriesPanel({
      title: 'Error ratio',
      description: 'Share of requests answered with a 5xx status; 0 when there are none.',
      unit: UNIT.ratio,
      width: 5,
      height: 7,
      thresholds: ERROR_THRESHOLDS,
      targets: [prom(errorRatio({}), { legend: '5xx' })],
      links: [link],
    }),
    new TimeseriesPanel({
      title: 'Latency p50 / p99',
      description: 'Median and 99th percentile request duration. Dots are exemplars: click one to open its trace.',
      unit: UNIT.seconds,
      width: 6,
      height: 7,
      targets: [prom(latency(0.5, {}), { legend: 'p50', exemplar: true }), prom(latency(0.99, {}), { legend: 'p99', exemplar: true })],
      links: [link],
    }),
    new TimeseriesPanel({
      title: 'Saturation: in-flight requests',
      description: 'Requests being handled right now. Growing while the rate is flat means requests wait.',
      unit: UNIT.count,
      width: 5,
      height: 7,
      targets: [prom(activeRequests(), { legend: 'in flight' })],
    }),
    new StatPanel({
      title: 'Alerts firing',
      description: 'Alerts of this service firing in Prometheus now. Open Alertmanager for their details and runbooks.',
      unit: UNIT.count,
      width: 3,
      height: 7,
      thresholds: thresholds(COLOR.ok, [COLOR.bad, 1]),
      targets: [prom(firingAlerts(), { instant: true, legend: 'firing' })],
    }),
  ];
}

/** The services overview dashboard. */
export function servicesOverview(): DashboardJson {
  const dashboard = new DashboardBuilder({
    uid: UID.overview,
    title: 'Periscope / Services overview',
    description: 'RED of every service: rate, errors, duration, saturation, and the alerts firing.',
    tags: [...TAGS, 'red'],
  })
    .variable(serviceVariable({ multi: true }))
    .annotation(deployAnnotation())
    .section({ panels: comparison() })
    .section({ title: '$service', repeat: VARIABLE.service, panels: serviceRow() });
  return linkOthers(dashboard).toJson();
}
