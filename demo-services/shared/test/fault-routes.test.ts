// Injected faults are applied inside the matched route, so the instrumentation counts an injected
// 500 under the route it was sent to (not under "unmatched").
import type http from 'node:http';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { instrument } from '@periscope/instrument';
import type { Telemetry } from '@periscope/instrument';
import { LABEL, METRIC, METRICS_PATH, UNMATCHED_ROUTE } from '@periscope/instrument/contract';
import { portOf } from '../src/admin.ts';
import { createFaults } from '../src/faults.ts';
import { afterRoutes, beforeRoutes } from '../src/service.ts';

let server: http.Server | undefined;
let telemetry: Telemetry | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await telemetry?.shutdown();
  server = undefined;
  telemetry = undefined;
});

/** A small instrumented app with the services' before/after-route wiring. */
async function start(errorRate: number): Promise<string> {
  const app = express();
  telemetry = instrument(app, { service: 'fault-routes-test', logLevel: 'fatal' });
  const faults = createFaults(() => 0); // every request falls within any error rate > 0
  beforeRoutes(app, faults);
  app.get('/items/:id', (req, res) => void res.json({ id: req.params.id }));
  app.post('/items', (_req, res) => void res.status(201).json({}));
  afterRoutes(app);
  faults.set({ errorRate });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server!.once('listening', resolve));
  return `http://127.0.0.1:${portOf(server)}`;
}

/** The `_count` series of the server duration histogram, summed by route and status (`route status → count`). */
async function counts(base: string): Promise<Record<string, number>> {
  const text = await (await fetch(base + METRICS_PATH)).text();
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${METRIC.serverDuration}_count{`)) continue;
    const route = new RegExp(`${LABEL.route}="([^"]*)"`).exec(line)?.[1];
    const status = new RegExp(`${LABEL.status}="([^"]*)"`).exec(line)?.[1];
    out[`${route} ${status}`] = (out[`${route} ${status}`] ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return out;
}

describe('injected faults', () => {
  it('record an injected 500 under the route template it was sent to', async () => {
    const base = await start(1);
    expect((await fetch(`${base}/items/7`)).status).toBe(500);
    expect((await fetch(`${base}/items/8`)).status).toBe(500);
    expect((await fetch(`${base}/items`, { method: 'POST' })).status).toBe(500);
    const seen = await counts(base);
    expect(seen['/items/:id 500']).toBe(2);
    expect(seen['/items 500']).toBe(1);
    expect(Object.keys(seen).filter((key) => key.startsWith(`${UNMATCHED_ROUTE} `))).toEqual([]);
  });

  it('leave requests that match no route alone: a 404, counted as unmatched', async () => {
    const base = await start(1);
    expect((await fetch(`${base}/nowhere`)).status).toBe(404);
    expect((await fetch(`${base}/items/7`, { method: 'DELETE' })).status).toBe(404);
    expect(await counts(base)).toEqual({ [`${UNMATCHED_ROUTE} 404`]: 2 });
  });

  it('let every request through to its handler when off', async () => {
    const base = await start(0);
    expect((await fetch(`${base}/items/7`)).status).toBe(200);
    expect(await counts(base)).toEqual({ '/items/:id 200': 1 });
  });
});
