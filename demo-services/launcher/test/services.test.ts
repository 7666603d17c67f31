// The three services as processes (no Prometheus, Alertmanager or load): the public API, its
// client errors, the admin listener and restarting one service.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEADER, LABEL, METRIC } from '@periscope/instrument/contract';
import { DEMO_ACCOUNTS } from '../../shared/src/demo-accounts.ts';
import { getFaults, setFaults, clearFaults } from '../src/fault-client.ts';
import type { Stack } from '../src/stack.ts';
import { startServices } from './helpers.ts';

let dir: string;
let stack: Stack;
let frontend: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'periscope-services-'));
  stack = await startServices(dir);
  frontend = stack.urls.frontend!;
}, 45_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

async function login(): Promise<string> {
  const { username, password } = DEMO_ACCOUNTS[1]!;
  const response = await fetch(`${frontend}/api/login`, json({ username, password }));
  expect(response.status).toBe(200);
  return ((await response.json()) as { token: string }).token;
}

describe('the services without the monitoring stack', () => {
  it('run, and say which components were left out', () => {
    expect(stack.skipped.sort()).toEqual(['alertmanager', 'nodeExporter', 'prometheus', 'receiver']);
    expect(stack.receiver).toBeUndefined();
  });

  it('serve the home page with the request ID of the page', async () => {
    const response = await fetch(`${frontend}/`, { headers: { [HEADER.requestId]: 'page-request-1' } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<code>page-request-1</code>');
  });

  it('post a thought with a token, and find it by search', async () => {
    const token = await login();
    const posted = await fetch(`${frontend}/api/thoughts`, json({ text: 'Zebras graze on the savanna' }, { authorization: `Bearer ${token}` }));
    expect(posted.status).toBe(201);
    expect(await posted.json()).toMatchObject({ author: 'grace', text: 'Zebras graze on the savanna' });
    const found = await fetch(`${frontend}/api/search?q=zebra`);
    expect(((await found.json()) as { hits: Array<{ text: string }> }).hits.map((h) => h.text)).toEqual(['Zebras graze on the savanna']);
  });

  it('answer bad input with a 4xx JSON error that carries the request ID, never a 500', async () => {
    const token = await login();
    const auth = { authorization: `Bearer ${token}` };
    const cases: Array<[string, string, RequestInit, number, string]> = [
      ['missing field', '/api/thoughts', json({}, auth), 400, 'missing field "text"'],
      ['text too long', '/api/thoughts', json({ text: 'x'.repeat(281) }, auth), 400, 'field "text" must be 1 to 280 characters, got 281'],
      ['malformed JSON', '/api/thoughts', json('{"text":', auth), 400, 'malformed JSON body'],
      ['body too large', '/api/thoughts', json({ text: 'x'.repeat(20_000) }, auth), 413, 'request body too large'],
      ['no token', '/api/thoughts', json({ text: 'hi' }), 401, 'missing or malformed Authorization header: expected "Bearer <token>"'],
      ['forged token', '/api/thoughts', json({ text: 'hi' }, { authorization: 'Bearer v1.e30.AAAA' }), 401, 'token refused: bad signature'],
      ['wrong password', '/api/login', json({ username: 'ada', password: 'nope' }), 401, 'invalid username or password'],
      ['no query', '/api/search', {}, 400, 'missing field "q"'],
      ['bad limit', '/api/thoughts?limit=abc', {}, 400, 'query parameter "limit" must be an integer from 1 to 100'],
      ['unknown thought', '/api/thoughts/t999999', {}, 404, 'no thought "t999999"'],
      ['unknown path', '/api/nothing', {}, 404, 'no route for GET /api/nothing'],
    ];
    for (const [name, route, init, status, message] of cases) {
      const requestId = `bad-input-${name.replace(/ /g, '-')}`;
      const response = await fetch(frontend + route, { ...init, headers: { ...(init.headers as Record<string, string>), [HEADER.requestId]: requestId } });
      expect([name, response.status]).toEqual([name, status]);
      expect([name, await response.json()]).toEqual([name, { error: message, request_id: requestId }]);
    }
    // Body errors are counted under the route the body was sent to, not as unmatched.
    const metrics = await (await fetch(`${frontend}/metrics`)).text();
    for (const status of [400, 413]) {
      expect(metrics).toContain(`${METRIC.serverDuration}_count{${LABEL.method}="POST",${LABEL.route}="/api/thoughts",${LABEL.status}="${status}"}`);
    }
  });

  it('change faults only through the admin listener, which the frontend does not expose', async () => {
    expect((await fetch(`${frontend}/faults`)).status).toBe(404);
    await setFaults(stack.adminUrls.users, { errorRate: 1 });
    const failed = await fetch(`${frontend}/api/users/u1`);
    expect(failed.status).toBe(500);
    expect(await failed.json()).toMatchObject({ error: 'injected fault: error rate' });
    expect((await clearFaults(stack.adminUrls.users)).summary).toBe('no faults');
    expect((await fetch(`${frontend}/api/users/u1`)).status).toBe(200);
    expect((await getFaults(stack.adminUrls.thoughts)).summary).toBe('no faults');
  });

  it('answer 502 while a backend is stopped, and recover when it is started again', async () => {
    await stack.stopService('users');
    const down = await fetch(`${frontend}/api/users/u1`);
    expect(down.status).toBe(502);
    expect(await down.json()).toMatchObject({ error: 'users is unavailable' });
    await stack.startService('users');
    expect((await fetch(`${frontend}/api/users/u1`)).status).toBe(200);
  });
});
