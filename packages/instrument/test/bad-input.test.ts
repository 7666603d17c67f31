import { request } from 'node:http';
import { connect } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, scrape, startApp } from './helpers.js';

afterEach(closeAll);

describe('bad input', () => {
  it('serves a request with 16 KB of headers', async () => {
    const t = await startApp((app) => app.get('/', (_req, res) => res.send('ok')));
    const headers: Record<string, string> = {};
    for (let i = 0; i < 8; i++) headers[`x-filler-${i}`] = 'f'.repeat(1900);
    const res = await fetch(`${t.base}/`, { headers });
    expect(res.status).toBe(200);
    const [line] = await t.accessLines(1);
    expect(JSON.stringify(line)).not.toContain('x-filler');
  });

  it('rejects a body-parser error as 400 JSON, not 500', async () => {
    const t = await startApp((app) => {
      app.use(express.json({ limit: '1kb' }));
      app.post('/things', (req, res) => res.json(req.body));
    });
    const bad = await fetch(`${t.base}/things`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'Bad Request', request_id: bad.headers.get('x-request-id') });
    const big = await fetch(`${t.base}/things`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ a: 'x'.repeat(5000) }) });
    expect(big.status).toBe(413);
    const lines = await t.accessLines(2);
    expect(lines.map((l) => l.level)).toEqual(['warn', 'warn']);
  });

  it('survives a handler that never answers until the client gives up, and a client that hangs up mid-response', async () => {
    const t = await startApp((app) => {
      app.get('/never', () => {});
      app.get('/stream', (_req, res) => {
        res.write('x'.repeat(1000));
        setTimeout(() => res.end('y'), 300);
      });
    });
    const port = Number(new URL(t.base).port);
    await new Promise<void>((resolve) => {
      const req = request(`${t.base}/never`, { timeout: 100 });
      req.on('timeout', () => req.destroy());
      req.on('error', () => resolve());
      req.end();
    });
    await new Promise<void>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => socket.write('GET /stream HTTP/1.1\r\nHost: x\r\n\r\n'));
      socket.once('data', () => {
        socket.destroy();
        resolve();
      });
    });
    const lines = await t.accessLines(2);
    expect(lines.map((l) => [l.http.route, l.aborted, l.http.status_code]).sort()).toEqual([
      ['/never', true, 499],
      ['/stream', true, 499],
    ]);
    expect((await fetch(`${t.base}/healthz`)).status).toBe(200);
    expect(await scrape(t.base)).toContain('http_server_active_requests{http_request_method="GET"} 0');
  });

  it('answers an unmatched request with 404 JSON and the request ID', async () => {
    const t = await startApp(() => {});
    const res = await fetch(`${t.base}/%ff/../..;/etc/passwd?<script>`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'Not Found', request_id: res.headers.get('x-request-id') });
  });
});
