import express4 from 'express4';
import { afterEach, describe, expect, it } from 'vitest';
import { LABEL, METRIC } from '../src/index.js';
import { closeAll, samples, scrape, startApp } from './helpers.js';

afterEach(closeAll);

const start = (routes: Parameters<typeof startApp>[0]) => startApp(routes, {}, () => express4());

describe('Express 4', () => {
  it('is really Express 4', async () => {
    const { createRequire } = await import('node:module');
    const version = createRequire(import.meta.url)('express4/package.json').version as string;
    expect(version.startsWith('4.')).toBe(true);
  });

  it('labels mounted routes with their full template', async () => {
    const t = await start((app) => {
      const router = express4.Router();
      router.get('/users/:id', (_req, res) => res.send('u'));
      app.use('/api', router);
    });
    expect((await fetch(`${t.base}/api/users/5`)).status).toBe(200);
    expect(samples(await scrape(t.base), `${METRIC.serverDuration}_count`)[0]).toContain(`${LABEL.route}="/api/users/:id"`);
  });

  it('captures a synchronous throw and a rejected promise with the original stack, and answers 500 JSON', async () => {
    const t = await start((app) => {
      app.get('/sync', function syncThrower() {
        throw new Error('sync failure');
      });
      app.get('/async', async function asyncRejecter() {
        await new Promise((r) => setTimeout(r, 1));
        throw new TypeError('async failure');
      });
    });
    for (const p of ['/sync', '/async']) {
      const res = await fetch(t.base + p);
      expect(res.status).toBe(500);
      expect(await res.json()).toMatchObject({ error: 'Internal Server Error' });
    }
    const lines = await t.accessLines(2);
    const sync = lines.find((l) => l.http.route === '/sync')!;
    const async = lines.find((l) => l.http.route === '/async')!;
    expect(sync.err).toMatchObject({ type: 'Error', message: 'sync failure' });
    expect(sync.err.stack).toContain('syncThrower');
    expect(async.err).toMatchObject({ type: 'TypeError', message: 'async failure' });
    expect(async.err.stack).toContain('asyncRejecter');
  });

  it("keeps the app's own error handler in charge of the response", async () => {
    const t = await start((app) => {
      app.get('/teapot', () => {
        throw Object.assign(new Error('short and stout'), { status: 418 });
      });
      app.use((err: Error & { status: number }, _req: unknown, res: { status(n: number): { json(b: unknown): void } }, _next: unknown) => {
        res.status(err.status).json({ mine: err.message });
      });
    });
    const res = await fetch(`${t.base}/teapot`);
    expect(res.status).toBe(418);
    expect(await res.json()).toEqual({ mine: 'short and stout' });
    const [line] = await t.accessLines(1);
    expect(line).toMatchObject({ level: 'warn', err: { message: 'short and stout' }, http: { status_code: 418 } });
  });
});
