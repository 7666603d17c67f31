/**
 * Service detail: what is wrong with this service, on which route, since which deploy, and
 * which requests? RED per route, a latency heatmap with exemplars, status codes, in-flight
 * requests, calls to dependencies, the most frequent error fingerprints, and the service's logs
 * filtered by request or trace ID.
 */
import { LABEL, METRIC } from '@periscope/instrument/contract';
import { DashboardBuilder } from '../adapter/dashboard.ts';
import { HeatmapPanel, LogsPanel, StatPanel, TimeseriesPanel, thresholds } from '../adapter/panels.ts';
import { loki, prom } from '../adapter/targets.ts';
import type { DashboardJson } from '../adapter/types.ts';
import { queryVariable, textVariable } from '../adapter/variables.ts';
import { firingAlerts, runningVersions } from '../queries/alerts.ts';
import { errorField, logRateByLevel, serviceLogs, topErrorFingerprints } from '../queries/logs.ts';
import { VARIABLE, inService, sel } from '../queries/promql.ts';
import {
  activeRequests,
  dependencyErrorRatio,
  dependencyLatency,
  dependencyRate,
  errorRatio,
  latency,
  latencyBuckets,
  requestRate,
  statusCodes,
  unmatchedRate,
} from '../queries/red.ts';
import { COLOR, TAGS, UID, UNIT, deployAnnotation, linkOthers, serviceVariable } from './common.ts';

const ROUTES = { routes: true } as const;
const ERROR_THRESHOLDS = thresholds(COLOR.ok, [COLOR.warn, 0.01], [COLOR.bad, 0.05]);

function summary() {
  const stat = { width: 4, height: 4 } as const;
  return [
    new StatPanel({ ...stat, title: 'Request rate', description: 'Requests per second to the selected routes.', unit: UNIT.reqps, targets: [prom(requestRate(ROUTES), { legend: 'requests' })] }),
    new StatPanel({ ...stat, title: 'Error ratio', description: 'Share of requests to the selected routes answered with a 5xx status.', unit: UNIT.ratio, thresholds: ERROR_THRESHOLDS, targets: [prom(errorRatio(ROUTES), { legend: '5xx' })] }),
    new StatPanel({ ...stat, title: 'Latency p99', description: '99th percentile duration of requests to the selected routes.', unit: UNIT.seconds, thresholds: thresholds(COLOR.ok, [COLOR.warn, 0.5], [COLOR.bad, 1]), targets: [prom(latency(0.99, ROUTES), { legend: 'p99' })] }),
    new StatPanel({ ...stat, title: 'In-flight requests', description: 'Requests being handled now, all routes.', unit: UNIT.count, targets: [prom(activeRequests(), { legend: 'in flight' })] }),
    new StatPanel({ ...stat, title: 'Alerts firing', description: 'Alerts of this service firing in Prometheus now.', unit: UNIT.count, thresholds: thresholds(COLOR.ok, [COLOR.bad, 1]), targets: [prom(firingAlerts(), { instant: true, legend: 'firing' })] }),
    new StatPanel({ ...stat, title: 'Running version', description: 'Versions (and commits) the instances of this service run; more than one during a rollout.', unit: UNIT.count, targets: [prom(runningVersions(), { instant: true, legend: '{{version}} ({{commit}})' })] }),
  ];
}

function perRoute() {
  return [
    new TimeseriesPanel({ title: 'Request rate by route', description: 'Requests per second per route template.', unit: UNIT.reqps, targets: [prom(requestRate(ROUTES, [LABEL.route]), { legend: '{{http_route}}' })] }),
    new TimeseriesPanel({ title: 'Error ratio by route', description: 'Share of each route\'s requests answered with a 5xx status.', unit: UNIT.ratio, thresholds: ERROR_THRESHOLDS, targets: [prom(errorRatio(ROUTES, [LABEL.route]), { legend: '{{http_route}}' })] }),
    new TimeseriesPanel({
      title: 'Latency p50 / p90 / p99',
      description: 'Request duration percentiles over the selected routes. Exemplar dots link to the trace of a request.',
      unit: UNIT.seconds,
      targets: [0.5, 0.9, 0.99].map((q) => prom(latency(q, ROUTES), { legend: `p${Math.round(q * 100)}`, exemplar: true })),
    }),
    new TimeseriesPanel({ title: 'Latency p99 by route', description: '99th percentile duration per route: which route is slow. Exemplar dots link to traces.', unit: UNIT.seconds, targets: [prom(latency(0.99, ROUTES, [LABEL.route]), { legend: '{{http_route}}', exemplar: true })] }),
    new HeatmapPanel({ title: 'Latency heatmap', description: 'Requests per second in each duration bucket: a second band means a second population of slow requests. Exemplars link to traces.', unit: UNIT.seconds, targets: [prom(latencyBuckets(ROUTES), { legend: '{{le}}', format: 'heatmap', exemplar: true })] }),
    new TimeseriesPanel({ title: 'Status codes', description: 'Requests per second by HTTP status code, stacked.', unit: UNIT.reqps, stack: true, targets: [prom(statusCodes(ROUTES), { legend: '{{http_response_status_code}}' })] }),
    new TimeseriesPanel({ title: 'In-flight requests by method', description: 'Requests being handled now, by HTTP method (saturation).', unit: UNIT.count, targets: [prom(activeRequests([LABEL.method]), { legend: '{{http_request_method}}' })] }),
    new TimeseriesPanel({ title: 'Requests matching no route', description: 'Requests per second that matched no route (scans, broken links); they share one route label so they cannot explode the series count.', unit: UNIT.reqps, targets: [prom(unmatchedRate(), { legend: 'unmatched' })] }),
  ];
}

function dependencies() {
  return [
    new TimeseriesPanel({ title: 'Calls by dependency', description: 'Outbound HTTP calls per second, by the server they go to.', unit: UNIT.reqps, width: 8, targets: [prom(dependencyRate(), { legend: '{{server_address}}' })] }),
    new TimeseriesPanel({ title: 'Dependency error ratio', description: 'Share of outbound calls answered with a 5xx status, by dependency.', unit: UNIT.ratio, width: 8, thresholds: ERROR_THRESHOLDS, targets: [prom(dependencyErrorRatio(), { legend: '{{server_address}}' })] }),
    new TimeseriesPanel({ title: 'Dependency latency p99', description: '99th percentile duration of outbound calls, by dependency. Exemplars link to traces.', unit: UNIT.seconds, width: 8, targets: [prom(dependencyLatency(0.99), { legend: '{{server_address}}', exemplar: true })] }),
  ];
}

function logs() {
  return [
    new TimeseriesPanel({
      title: 'Top error fingerprints (last hour)',
      description:
        'The 10 most frequent errors by fingerprint (one per bug: the error type and its top application stack frames), each point counting the hour before it. A line that starts after a deploy marker is a new bug; its lines are in Loki with ' +
        `${errorField('fingerprint')}="<fingerprint>".`,
      unit: UNIT.count,
      width: 24,
      height: 8,
      targets: [loki(topErrorFingerprints(), `{{${errorField('type')}}} {{${errorField('fingerprint')}}}`)],
    }),
    new TimeseriesPanel({ title: 'Log lines by level', description: 'Log lines per second by level; a rise of error lines often comes before the error ratio moves.', unit: UNIT.perSecond, width: 24, height: 6, bars: true, stack: true, targets: [loki(logRateByLevel(), '{{level}}')] }),
    new LogsPanel({ title: 'Logs', description: 'The service\'s log lines, newest first. Type a request ID or trace ID in "Request or trace ID" to keep only that request\'s lines.', unit: UNIT.none, width: 24, height: 14, targets: [loki(serviceLogs())] }),
  ];
}

/** The service detail dashboard. */
export function serviceDetail(): DashboardJson {
  const routes = `label_values(${sel(`${METRIC.serverDuration}_count`, inService())}, ${LABEL.route})`;
  const dashboard = new DashboardBuilder({
    uid: UID.service,
    title: 'Periscope / Service detail',
    description: 'One service: RED per route, latency distribution, dependencies, deploys and logs.',
    tags: [...TAGS, 'red'],
  })
    .variable(serviceVariable())
    .variable(queryVariable(VARIABLE.route, routes, { label: 'Route', multi: true, includeAll: true }))
    .variable(textVariable(VARIABLE.search, 'Request or trace ID'))
    .annotation(deployAnnotation())
    .section({ panels: summary() })
    .section({ title: 'Requests by route (RED)', panels: perRoute() })
    .section({ title: 'Dependencies (outbound calls)', panels: dependencies() })
    .section({ title: 'Logs', panels: logs() });
  return linkOthers(dashboard).toJson();
}
