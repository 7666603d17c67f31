import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { DURATION_BUCKETS, LABEL, METRIC } from '@periscope/instrument/contract';
import { emptyPanelTitles, emptyTargets, instantQuery, resolveVariables } from '../src/check/prometheus.ts';
import { startNodeExporter } from '../../../tools/testing/node-exporter.ts';
import type { LoopbackServer } from '../../../tools/testing/process.ts';
import { startPrometheus } from '../../../tools/testing/prometheus.ts';
import { waitFor } from '../../../tools/testing/wait.ts';
import { dashboards } from './helpers.ts';

const dashboard = (uid: string) => dashboards.find((d) => d.uid === `periscope-${uid}`)!;
/** Grafana's $__rate_interval for a 1 s scrape interval, short enough for a test. */
const values = { __rate_interval: '10s', __interval: '10s' };

/**
 * A service's /metrics as the package would serve it, with the contract's names: inbound RED,
 * in-flight requests, the build, prom-client's defaults and one application resource. It makes no
 * outbound calls, so it has no client histogram.
 */
function serviceRegistry(): { registry: Registry; tick: () => void } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({ name: METRIC.serverDuration, help: 'inbound', labelNames: [LABEL.method, LABEL.route, LABEL.status], buckets: [...DURATION_BUCKETS], registers: [registry] });
  new Gauge({ name: METRIC.serverActive, help: 'in flight', labelNames: [LABEL.method], registers: [registry] }).set({ [LABEL.method]: 'GET' }, 2);
  new Gauge({ name: METRIC.buildInfo, help: 'build', labelNames: [LABEL.service, LABEL.version, LABEL.commit], registers: [registry] }).set({ [LABEL.service]: 'users', [LABEL.version]: '1.2.3', [LABEL.commit]: 'abc123' }, 1);
  new Gauge({ name: METRIC.eventLoopUtilization, help: 'elu', registers: [registry] }).set(0.25);
  new Gauge({ name: METRIC.resourceCapacity, help: 'capacity', labelNames: [LABEL.resource], registers: [registry] }).set({ resource: 'db' }, 10);
  new Gauge({ name: METRIC.resourceInUse, help: 'in use', labelNames: [LABEL.resource], registers: [registry] }).set({ resource: 'db' }, 3);
  new Gauge({ name: METRIC.resourceWaiting, help: 'waiting', labelNames: [LABEL.resource], registers: [registry] }).set({ resource: 'db' }, 0);
  new Counter({ name: METRIC.resourceErrors, help: 'errors', labelNames: [LABEL.resource], registers: [registry] }).inc({ resource: 'db' }, 0);
  const tick = () => {
    // Work that allocates, as a real service does, so the GC histogram has samples.
    void Array.from({ length: 50_000 }, (_, i) => ({ i })).map((o) => String(o.i)).join();
    duration.observe({ [LABEL.method]: 'GET', [LABEL.route]: '/users/:id', [LABEL.status]: '200' }, 0.02);
    duration.observe({ [LABEL.method]: 'GET', [LABEL.route]: '/users/:id', [LABEL.status]: '500' }, 0.3);
  };
  tick();
  return { registry, tick };
}

describe('the Prometheus query runner', () => {
  let server: Server;
  let prometheus: LoopbackServer;
  let nodeExporter: LoopbackServer;

  beforeAll(async () => {
    const { registry, tick } = serviceRegistry();
    server = createServer((_req, res) => {
      tick();
      void registry.metrics().then((text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    nodeExporter = await startNodeExporter();
    const job = (name: string, target: string) => [`  - job_name: ${name}`, '    static_configs:', `      - targets: ['${target}']`];
    prometheus = await startPrometheus({
      config: ['global:', '  scrape_interval: 1s', 'scrape_configs:', ...job('users', `127.0.0.1:${port}`), ...job('node', new URL(nodeExporter.url).host)].join('\n'),
    });
    await waitFor('four scrapes of each target', async () => {
      const samples = (await instantQuery(prometheus.url, 'count_over_time(up[1m]) >= 4')) as unknown[];
      return samples.length === 2;
    });
  });

  afterAll(async () => {
    await prometheus?.stop();
    await nodeExporter?.stop();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('resolves a dashboard variable to the first value Prometheus knows, and "All" to its regex', async () => {
    const resolved = await resolveVariables(prometheus.url, dashboard('service-detail'), { values });
    expect(resolved).toMatchObject({ datasource: 'prometheus', service: 'users', route: '.*', search: '', __rate_interval: '10s' });
  });

  it('finds data for every panel of the services overview when the service serves the contract metrics', async () => {
    expect(await emptyTargets(prometheus.url, dashboard('services-overview'), { values })).toEqual([]);
  });

  it('names, by title, the panels of the service detail that would be empty: calls to dependencies the service never made', async () => {
    const empty = await emptyTargets(prometheus.url, dashboard('service-detail'), { values });
    expect(emptyPanelTitles(empty)).toEqual([
      'periscope-service-detail / Calls by dependency',
      'periscope-service-detail / Dependency error ratio',
      'periscope-service-detail / Dependency latency p99',
    ]);
    expect(empty[0]).toMatchObject({ refId: 'A', reason: 'no data', expr: expect.stringContaining('http_client_request_duration_seconds_count{job=~"users"}[10s]') });
  });

  it('finds data for every panel of the Node.js runtime dashboard from the default and resource metrics', async () => {
    expect(emptyPanelTitles(await emptyTargets(prometheus.url, dashboard('nodejs-runtime'), { values }))).toEqual([]);
  });

  it('finds data for every panel of the host dashboard from a real node exporter', async () => {
    expect(await emptyTargets(prometheus.url, dashboard('host'), { values })).toEqual([]);
  });

  it('reports a query Prometheus rejects with its error', async () => {
    const broken = structuredClone(dashboard('services-overview'));
    broken.panels[0]!.targets![0]!.expr = 'sum(rate(up[$__rate_interval])) by';
    const [problem] = await emptyTargets(prometheus.url, broken, { values });
    expect(problem).toMatchObject({ panel: 'Request rate by service', reason: expect.stringContaining('parse error') });
  });
});
