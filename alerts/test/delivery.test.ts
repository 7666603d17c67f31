/**
 * The shipped rules and Alertmanager routing, overlaid for speed, on real processes: a synthetic
 * service exporting the contract's histogram through prom-client, Prometheus scraping it,
 * Alertmanager, and a webhook receiver. Not the demo services (their end-to-end test is
 * alerts/e2e/); this proves the overlays deliver a real page (TargetDown, its for: cut to 5s)
 * and its resolution.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Histogram, Registry } from 'prom-client';
import { stringify } from 'yaml';
import { DURATION_BUCKETS, LABEL, METRIC } from '@periscope/instrument/contract';
import { createTestOverlay } from '../test-overlay/overlay.ts';
import type { TestOverlay } from '../test-overlay/overlay.ts';
import { createAlertmanagerOverlay } from '../test-overlay/alertmanager.ts';
import type { AlertmanagerOverlay } from '../test-overlay/alertmanager.ts';
import { startAlertmanager } from '../../tools/testing/alertmanager.ts';
import type { LoopbackServer } from '../../tools/testing/process.ts';
import { startPrometheus } from '../../tools/testing/prometheus.ts';
import { waitFor } from '../../tools/testing/wait.ts';

interface Notification {
  path: string;
  body: { version: string; status: string; alerts: { status: string; labels: Record<string, string>; annotations: Record<string, string> }[] };
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`127.0.0.1:${(server.address() as { port: number }).port}`)));
}

describe('alert delivery through the test overlays', () => {
  const notifications: Notification[] = [];
  const registry = new Registry();
  const histogram = new Histogram({
    name: METRIC.serverDuration,
    help: 'Duration of inbound HTTP requests.',
    labelNames: [LABEL.method, LABEL.route, LABEL.status],
    buckets: [...DURATION_BUCKETS],
    registers: [registry],
  });
  const traffic = setInterval(() => {
    for (let i = 0; i < 10; i++) histogram.observe({ [LABEL.method]: 'GET', [LABEL.route]: '/users/:id', [LABEL.status]: '200' }, 0.02);
  }, 100);
  const exporter = createServer((_req, res) => {
    void registry.metrics().then((text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text));
  });
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      notifications.push({ path: req.url ?? '', body: JSON.parse(body) as Notification['body'] });
      res.writeHead(200).end();
    });
  });
  let rules: TestOverlay;
  let routing: AlertmanagerOverlay;
  let alertmanager: LoopbackServer;
  let prometheus: LoopbackServer;
  let exporterAddress: string;

  beforeAll(async () => {
    let receiverAddress: string;
    [exporterAddress, receiverAddress] = await Promise.all([listen(exporter), listen(receiver)]);
    rules = createTestOverlay({ evaluationInterval: '1s', maxFor: '5s' });
    routing = createAlertmanagerOverlay({ webhookOrigin: `http://${receiverAddress}` });
    alertmanager = await startAlertmanager(routing.configFile);
    const config = join(rules.dir, 'prometheus.yml');
    writeFileSync(
      config,
      stringify({
        global: { scrape_interval: '1s', evaluation_interval: '1s' },
        rule_files: rules.ruleFiles,
        alerting: { alertmanagers: [{ static_configs: [{ targets: [new URL(alertmanager.url).host] }] }] },
        scrape_configs: [{ job_name: 'users', static_configs: [{ targets: [exporterAddress] }] }],
      }),
    );
    prometheus = await startPrometheus({ configFile: config });
  });

  afterAll(async () => {
    clearInterval(traffic);
    await prometheus?.stop();
    await alertmanager?.stop();
    exporter.close();
    receiver.close();
    rules?.remove();
    routing?.remove();
  });

  it('pages for a target that stops answering, then reports it resolved once it answers again', async () => {
    const isOurs = (n: Notification, status: string) =>
      n.path === '/paging' && n.body.status === status && n.body.alerts.some((a) => a.labels.alertname === 'TargetDown' && a.labels.service === 'users' && a.status === status);
    await waitFor('a first good scrape', async () => (await fetch(`${prometheus.url}/api/v1/query?query=up`).then((r) => r.json()) as { data: { result: unknown[] } }).data.result.length > 0 || undefined, 30_000);
    const port = Number(exporterAddress.split(':')[1]);
    const faultAt = Date.now();
    await new Promise<void>((resolve) => {
      exporter.close(() => resolve());
      exporter.closeAllConnections();
    });
    const firing = await waitFor('the firing page', () => notifications.find((n) => isOurs(n, 'firing')), 60_000);
    const firedAfter = Date.now() - faultAt;
    const alert = firing.body.alerts.find((a) => a.labels.alertname === 'TargetDown')!;
    expect(firing.body.version).toBe('4');
    expect(alert.labels).toMatchObject({ job: 'users', service: 'users', severity: 'critical' });
    expect(alert.annotations.runbook_url).toBe('https://github.com/periscope-dev/periscope/blob/main/alerts/runbooks/red.md#targetdown');
    expect(notifications.some((n) => n.path === '/team' && n.body.alerts.some((a) => a.labels.alertname === 'TargetDown'))).toBe(false);

    const clearedAt = Date.now();
    await new Promise<void>((resolve) => exporter.listen(port, '127.0.0.1', () => resolve()));
    const resolved = await waitFor('the resolved page', () => notifications.find((n) => isOurs(n, 'resolved')), 60_000);
    expect(resolved.body.alerts.every((a) => a.status === 'resolved')).toBe(true);
    console.log(`target down → page ${firedAfter}ms; back → resolved ${Date.now() - clearedAt}ms`);
  }, 180_000);
});
