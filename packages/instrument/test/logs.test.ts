import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { Writable } from 'node:stream';
import { closeAll, startApp, waitFor } from './helpers.js';

afterEach(closeAll);

describe('logs', () => {
  it('writes one access line per request with exactly the contract fields', async () => {
    const t = await startApp((app) => app.get('/users/:id', (_req, res) => res.status(200).json({ ok: true })));
    await fetch(`${t.base}/users/7?x=1`, { headers: { 'user-agent': 'test-agent/1.0', 'x-request-id': 'rid-1' } });
    const [line] = await t.accessLines(1);
    expect(Object.keys(line!).sort()).toEqual(
      ['client_address', 'duration_ms', 'hostname', 'http', 'level', 'msg', 'pid', 'request_id', 'service', 'span_id', 'time', 'trace_flags', 'trace_id', 'user_agent', 'version'].sort(),
    );
    expect(line).toMatchObject({
      level: 'info',
      msg: 'request completed',
      service: 'test-svc',
      version: '1.2.3',
      pid: process.pid,
      request_id: 'rid-1',
      http: { method: 'GET', route: '/users/:id', path: '/users/7?x=1', status_code: 200 },
      user_agent: 'test-agent/1.0',
    });
    expect(new Date(line!.time).toISOString()).toBe(line!.time);
    expect(line!.duration_ms).toBeGreaterThan(0);
    expect(line!.client_address).toMatch(/127\.0\.0\.1/);
  });

  it("adds request_id to the handler's own log lines without the caller passing anything", async () => {
    const t = await startApp((app, tel) =>
      app.get('/work', async (_req, res) => {
        await new Promise((r) => setTimeout(r, 5));
        tel.logger.info({ step: 'after await' }, 'working');
        res.send('done');
      }),
    );
    await fetch(`${t.base}/work`, { headers: { 'x-request-id': 'ctx-1' } });
    const lines = await t.logs(2);
    const working = lines.find((l) => l.msg === 'working');
    expect(working).toMatchObject({ request_id: 'ctx-1', step: 'after await', service: 'test-svc', level: 'info' });
  });

  it('chooses the level by outcome: 5xx error, 4xx warn, otherwise info', async () => {
    const t = await startApp((app) => app.get('/status/:code', (req, res) => res.status(Number(req.params.code)).end()));
    for (const code of [200, 302, 404, 503]) await fetch(`${t.base}/status/${code}`, { redirect: 'manual' });
    const lines = await t.accessLines(4);
    const byStatus = Object.fromEntries(lines.map((l) => [l.http.status_code, l.level]));
    expect(byStatus).toEqual({ 200: 'info', 302: 'info', 404: 'warn', 503: 'error' });
  });

  it('redacts secret headers a handler logs and secret query parameters in the logged path', async () => {
    const t = await startApp((app, tel) =>
      app.get('/cb', (req, res) => {
        tel.logger.info({ headers: req.headers, password: 'hunter2' }, 'incoming');
        tel.logger.info({ req: { headers: req.headers }, user: { token: 'nested-secret' } }, 'nested');
        res.send('ok');
      }),
    );
    await fetch(`${t.base}/cb?token=s3cret&access_token=t0k&Password=pw&page=2`, {
      headers: { authorization: 'Bearer abc.def', cookie: 'sid=xyz', 'proxy-authorization': 'Basic Zm9v' },
    });
    const lines = await t.logs(3);
    const text = JSON.stringify(lines);
    for (const secret of ['s3cret', 't0k', 'Bearer abc.def', 'sid=xyz', 'Basic Zm9v', 'hunter2', '=pw', 'nested-secret']) expect(text).not.toContain(secret);
    expect(lines.find((l) => l.msg === 'nested')!.req.headers['proxy-authorization']).toBe('[REDACTED]');
    const access = lines.find((l) => l.msg === 'request completed');
    expect(access!.http.path).toBe('/cb?token=[REDACTED]&access_token=[REDACTED]&Password=[REDACTED]&page=2');
    const incoming = lines.find((l) => l.msg === 'incoming');
    expect(incoming!.headers.authorization).toBe('[REDACTED]');
    expect(incoming!.headers.cookie).toBe('[REDACTED]');
  });

  it("logs a handler's error once, on the access line, with its original type, message and stack", async () => {
    const t = await startApp((app) =>
      app.get('/boom', function boomHandler() {
        throw new RangeError('out of range: 42');
      }),
    );
    const res = await fetch(`${t.base}/boom`);
    expect(res.status).toBe(500);
    const body = await res.json();
    expect(body).toEqual({ error: 'Internal Server Error', request_id: res.headers.get('x-request-id') });
    await t.accessLines(1);
    const lines = await t.logs();
    const withErr = lines.filter((l) => l.err);
    expect(withErr).toHaveLength(1);
    expect(withErr[0]).toMatchObject({ level: 'error', msg: 'request completed', err: { type: 'RangeError', message: 'out of range: 42' } });
    expect(withErr[0]!.err.stack).toMatch(/^RangeError: out of range: 42\n\s+at boomHandler \(.*logs\.test\.ts/);
  });

  it('logs an expected 4xx error (one that asks for its status) without a stack, and an unexpected one with it', async () => {
    class ValidationError extends Error {
      status = 400;
      expose = true;
    }
    const t = await startApp((app) => {
      app.post('/thoughts', () => {
        throw new ValidationError('missing field "text"');
      });
      // An error without a status that the app's own handler turned into a 400: still unexpected.
      app.get('/odd', () => {
        throw new TypeError('cannot read x');
      });
      app.use((err: Error, _req: unknown, res: { status(n: number): { json(b: unknown): void } }, _next: unknown) => {
        res.status(400).json({ error: err.message });
      });
    });
    expect((await fetch(`${t.base}/thoughts`, { method: 'POST' })).status).toBe(400);
    expect((await fetch(`${t.base}/odd`)).status).toBe(400);
    const lines = await t.accessLines(2);
    const byRoute = (route: string) => lines.find((l) => l.http.route === route)!;
    expect(byRoute('/thoughts').err).toMatchObject({ type: 'ValidationError', message: 'missing field "text"' });
    expect(byRoute('/thoughts').err.stack).toBeUndefined();
    expect(byRoute('/odd').err.stack).toMatch(/^TypeError: cannot read x\n/);
  });

  it('logs a request the client abandoned as aborted, not as 200', async () => {
    const t = await startApp((app) => app.get('/slow', (_req, res) => setTimeout(() => res.send('late'), 500)));
    await new Promise<void>((resolve) => {
      const req = request(`${t.base}/slow`);
      req.on('error', () => resolve());
      req.end();
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 50);
    });
    const [line] = await t.accessLines(1);
    expect(line).toMatchObject({ level: 'warn', aborted: true, http: { route: '/slow', status_code: 499 } });
  });

  it("uses the caller's own pino logger and still adds the request fields", async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        for (const l of chunk.toString().split('\n')) if (l) lines.push(JSON.parse(l));
        cb();
      },
    });
    const own = pino({ base: { team: 'blue' } }, sink);
    const t = await startApp((app, tel) => app.get('/x', (_req, res) => (tel.logger.info('inside'), res.send('ok'))), { logger: own });
    await fetch(`${t.base}/x`, { headers: { 'x-request-id': 'own-1' } });
    await waitFor(() => lines.length >= 2, 3000, 'two lines on the caller logger');
    expect(lines.find((l) => l.msg === 'inside')).toMatchObject({ team: 'blue', service: 'test-svc', request_id: 'own-1' });
    expect(lines.find((l) => l.msg === 'request completed')).toMatchObject({ request_id: 'own-1', http: { route: '/x', status_code: 200 } });
  });
});
