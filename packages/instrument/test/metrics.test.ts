import { execFileSync } from 'node:child_process';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { DURATION_BUCKETS, LABEL, METRIC, UNMATCHED_ROUTE } from '../src/index.js';
import { closeAll, samples, scrape, startApp } from './helpers.js';
import { freePort } from '../../../tools/testing/process.ts';

afterEach(closeAll);

/** Runs requests with at most `concurrency` in flight. */
async function pool(count: number, concurrency: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await fn(next++);
    }),
  );
}

const countSeries = (text: string) => samples(text, `${METRIC.serverDuration}_count`);

describe('RED metrics', () => {
  it('records inbound requests in the contract histogram with its labels and buckets', async () => {
    const t = await startApp((app) => app.post('/items', (_req, res) => res.status(201).end()));
    await fetch(`${t.base}/items`, { method: 'POST' });
    const text = await scrape(t.base);
    expect(text).toContain(`# TYPE ${METRIC.serverDuration} histogram`);
    const labels = `${LABEL.method}="POST",${LABEL.route}="/items",${LABEL.status}="201"`;
    expect(samples(text, `${METRIC.serverDuration}_count`)).toEqual([`${METRIC.serverDuration}_count{${labels}} 1`]);
    const les = samples(text, `${METRIC.serverDuration}_bucket`).map((l) => /le="([^"]+)"/.exec(l)![1]);
    expect(les).toEqual([...DURATION_BUCKETS.map(String), '+Inf']);
    expect(text).toMatch(new RegExp(`${METRIC.serverActive}\\{${LABEL.method}="POST"\\} 0`));
  });

  it('labels routes with their template, including router and sub-app mount prefixes', async () => {
    const t = await startApp((app) => {
      const users = express.Router();
      users.get('/:id', (_req, res) => res.send('u'));
      const api = express.Router();
      api.use('/users', users);
      api.get('/', (_req, res) => res.send('root'));
      app.use('/api', api);
      const v2 = express();
      v2.get('/things/:thing', (_req, res) => res.send('t'));
      app.use('/v2/:tenant', v2);
      app.get(['/a', '/b'], (_req, res) => res.send('ab'));
    });
    for (const p of ['/api/users/1', '/api/users/2', '/api', '/v2/acme/things/9', '/b']) expect((await fetch(t.base + p)).status).toBe(200);
    const routes = countSeries(await scrape(t.base)).map((l) => new RegExp(`${LABEL.route}="([^"]*)"`).exec(l)![1]).sort();
    expect(routes).toEqual(['/a,/b', '/api', '/api/users/:id', '/v2/:tenant/things/:thing']);
  });

  it('gives requests that matched no route one fixed route value, so random paths create no series', async () => {
    const t = await startApp((app) => {
      app.get('/known', (_req, res) => res.send('k'));
      const api = express.Router();
      api.get('/x', (_req, res) => res.send('x'));
      app.use('/api', api);
    });
    await fetch(`${t.base}/known`);
    await fetch(`${t.base}/api/nope`);
    const before = countSeries(await scrape(t.base)).length;
    await pool(10_000, 32, async (i) => {
      const r = await fetch(`${t.base}/${Math.random().toString(36).slice(2)}/${i}/%2e%2e/${'z'.repeat(i % 50)}`);
      await r.arrayBuffer();
    });
    const after = countSeries(await scrape(t.base));
    expect(after.length).toBe(before);
    const unmatched = after.find((l) => l.includes(`${LABEL.route}="${UNMATCHED_ROUTE}"`));
    expect(unmatched).toMatch(/ 10001$/);
  }, 120_000);

  it('keeps one series per status for 5 000 distinct IDs on a matched route', async () => {
    const t = await startApp((app) => app.get('/users/:id', (req, res) => res.status(Number(req.params.id) % 2 ? 200 : 404).end()));
    await pool(5000, 32, async (i) => (await fetch(`${t.base}/users/${i}`)).arrayBuffer());
    const series = countSeries(await scrape(t.base));
    expect(series).toHaveLength(2);
    expect(series.join('\n')).toContain(`${LABEL.route}="/users/:id",${LABEL.status}="200"} 2500`);
  }, 120_000);

  it('sends label sets past the cap to one overflow series and counts them', async () => {
    const t = await startApp((app) => app.get(/^\/r(\d+)$/, (_req, res) => res.send('x')), { maxLabelSets: 3 });
    // Regular-expression routes are one template each; status codes make new label sets here.
    t.app.get('/s/:code', (req, res) => res.status(Number(req.params.code)).end());
    for (const code of [200, 201, 202, 203, 204, 205]) await fetch(`${t.base}/s/${code}`);
    const text = await scrape(t.base);
    const series = countSeries(text);
    expect(series).toHaveLength(4);
    expect(series.join('\n')).toContain(`${LABEL.method}="overflow",${LABEL.route}="overflow",${LABEL.status}="overflow"} 3`);
    expect(samples(text, METRIC.metricOverflow)).toContain(`${METRIC.metricOverflow}{${LABEL.metric}="${METRIC.serverDuration}"} 3`);
  });

  it('serves runtime metrics, event-loop utilization and build info', async () => {
    const t = await startApp(() => {}, { defaultMetrics: true });
    const text = await scrape(t.base);
    expect(text).toMatch(/^process_cpu_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes \d/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds \d/m);
    const elu = Number(/^nodejs_eventloop_utilization_ratio (\S+)$/m.exec(text)![1]);
    expect(elu).toBeGreaterThanOrEqual(0);
    expect(elu).toBeLessThanOrEqual(1);
    expect(text).toContain(`${METRIC.buildInfo}{${LABEL.service}="test-svc",${LABEL.version}="1.2.3",${LABEL.commit}="abc1234"} 1`);
    expect(text).not.toMatch(/^nodejs_active_handles_total/m);
  });

  it('passes promtool check metrics with no findings', async () => {
    const t = await startApp((app) => app.get('/users/:id', (_req, res) => res.json({})), { defaultMetrics: true });
    t.telemetry.resource('pool', { capacity: 2 });
    await fetch(`${t.base}/users/1`);
    let output = '';
    try {
      output = execFileSync('promtool', ['check', 'metrics'], { input: await scrape(t.base), encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string };
      output = `${e.stdout ?? ''}${e.stderr ?? ''}`;
    }
    expect(output.trim()).toBe('');
  });

  it('serves OpenMetrics when the scraper asks for it, with counters and # EOF', async () => {
    const t = await startApp((app) => app.get('/x', (_req, res) => res.send('x')), { maxLabelSets: 1 });
    await fetch(`${t.base}/x`);
    t.app.get('/y', (_req, res) => res.send('y'));
    await fetch(`${t.base}/y`);
    const res = await fetch(`${t.base}/metrics`, { headers: { accept: 'application/openmetrics-text;version=1.0.0,text/plain;q=0.5' } });
    expect(res.headers.get('content-type')).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    const text = await res.text();
    expect(text.endsWith('# EOF\n')).toBe(true);
    expect(text).toContain('# TYPE periscope_metric_overflow counter');
    expect(text).toContain(`periscope_metric_overflow_total{metric="${METRIC.serverDuration}"} 1`);
    const plain = await fetch(`${t.base}/metrics`);
    expect(plain.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await plain.text()).toContain('# TYPE periscope_metric_overflow_total counter');
  });

  it('serves /metrics on a separate port when metricsPort is set, and not on the app', async () => {
    const port = await freePort();
    const t = await startApp((app) => app.get('/x', (_req, res) => res.send('x')), { metricsPort: port, metricsHost: '127.0.0.1' });
    await fetch(`${t.base}/x`);
    expect((await fetch(`${t.base}/metrics`)).status).toBe(404);
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(`${LABEL.route}="/x"`);
    expect((await fetch(`http://127.0.0.1:${port}/x`)).status).toBe(404);
  });

  it('does not count or log the health and metrics endpoints', async () => {
    const t = await startApp((app) => app.get('/x', (_req, res) => res.send('x')));
    for (const p of ['/healthz', '/readyz', '/metrics', '/x']) await fetch(t.base + p);
    const text = await scrape(t.base);
    expect(countSeries(text)).toHaveLength(1);
    const lines = await t.accessLines(1);
    expect(lines.map((l) => l.http.path)).toEqual(['/x']);
  });
});
