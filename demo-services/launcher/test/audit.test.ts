// Audit events of the demo: logins (success and failure) in users, creating and deleting thoughts
// in thoughts, with the actor taken only from a verified token — and the question the issue asks:
// who deleted thought X?
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack } from '../src/stack.ts';
import type { Stack } from '../src/stack.ts';

let dir: string;
let stack: Stack;
let frontend: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'periscope-audit-'));
  stack = await startStack({ ports: { frontend: 0, users: 0, thoughts: 0 }, load: false, prometheus: false, alertmanager: false, nodeExporter: false, stateDir: dir, quiet: true });
  frontend = stack.urls.frontend!;
}, 45_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

async function login(username: string, password: string): Promise<string> {
  const res = await post(`${frontend}/api/login`, { username, password });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

const auditLines = (service: 'users' | 'thoughts') =>
  readFileSync(stack.logFile(service), 'utf8')
    .split('\n')
    .filter((l) => l.includes('"log_type":"audit"'))
    .map((l) => JSON.parse(l) as Record<string, string>);

describe('audit events in the demo', () => {
  it('records logins, and who created and deleted a thought, with the actor from the verified token', async () => {
    expect((await post(`${frontend}/api/login`, { username: 'ada', password: 'wrong' })).status).toBe(401);
    const ada = await login('ada', 'analytical-engine');
    const grace = await login('grace', 'first-compiler');

    const created = await post(`${frontend}/api/thoughts`, { text: 'audit me' }, { authorization: `Bearer ${ada}`, 'x-request-id': 'create-1' });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const byGrace = await fetch(`${frontend}/api/thoughts/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${grace}` } });
    expect(byGrace.status).toBe(403);
    const forged = await fetch(`${frontend}/api/thoughts/${id}`, { method: 'DELETE', headers: { authorization: 'Bearer v1.forged.token' } });
    expect(forged.status).toBe(401);
    const byAda = await fetch(`${frontend}/api/thoughts/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${ada}`, 'x-request-id': 'delete-1' } });
    expect(byAda.status).toBe(204);
    expect((await fetch(`${frontend}/api/thoughts/${id}`)).status).toBe(404);

    const logins = auditLines('users').map((l) => [l.action, l.actor, l.outcome]);
    expect(logins).toEqual([
      ['user.login', 'attempt:ada', 'failure'],
      ['user.login', 'user:u1', 'success'],
      ['user.login', 'user:u2', 'success'],
    ]);
    const thoughts = auditLines('thoughts');
    expect(thoughts.map((l) => [l.action, l.actor, l.target, l.outcome])).toEqual([
      ['thought.create', 'user:u1', `thought:${id}`, 'success'],
      ['thought.delete', 'user:u2', `thought:${id}`, 'failure'],
      ['thought.delete', 'user:u1', `thought:${id}`, 'success'],
    ]);
    // Who deleted it: the successful delete event, with the request it came from.
    const deleted = thoughts.find((l) => l.action === 'thought.delete' && l.target === `thought:${id}` && l.outcome === 'success')!;
    expect(deleted).toMatchObject({ actor: 'user:u1', request_id: 'delete-1', service: 'thoughts', level: 'info' });
    expect(deleted.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(thoughts)).not.toContain(ada);
  });
});
