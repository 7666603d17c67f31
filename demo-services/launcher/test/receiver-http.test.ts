// The receiver as a browser and Alertmanager see it: a real server on port 0, real HTTP requests.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RUNBOOKS_DIR, markdownAnchors } from '../../../alerts/lib/runbooks.ts';
import { startReceiver } from '../src/receiver.ts';
import type { Receiver } from '../src/receiver.ts';
import { listRunbooks } from '../src/receiver-runbooks.ts';

let receiver: Receiver;
let lines: string[];

beforeEach(async () => {
  lines = [];
  receiver = await startReceiver(0, (line) => lines.push(line));
});

afterEach(async () => {
  await receiver.close();
});

const post = (path: string, body: unknown) =>
  fetch(receiver.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

const webhook = (status: 'firing' | 'resolved', alertname: string, annotations: Record<string, string>, labels: Record<string, string> = {}) => ({
  version: '4',
  receiver: 'paging',
  status,
  groupKey: '{}/{severity="critical"}:{service="users"}',
  groupLabels: { service: 'users' },
  alerts: [{ status, labels: { alertname, service: 'users', severity: 'critical', ...labels }, annotations, startsAt: new Date().toISOString(), endsAt: '0001-01-01T00:00:00Z' }],
});

/** The `id`s of the headings of an HTML page, in order. */
const headingIds = (html: string): string[] => [...html.matchAll(/<h[1-6] id="([^"]+)"/g)].map((m) => m[1]!);

describe('the receiver’s notifications page', () => {
  it('shows the notifications received, newest first, with status, names, service, summary, description and runbook link', async () => {
    expect((await post('/paging', webhook('firing', 'TargetDown', { summary: 'First.', runbook_url: `${receiver.url}/runbooks/red.md#targetdown` }))).status).toBe(200);
    expect((await post('/paging', webhook('firing', 'LatencyErrorBudgetBurn', { summary: 'Second.', description: 'p99 is 800ms.', runbook_url: `${receiver.url}/runbooks/slo.md#latencyerrorbudgetburn` }))).status).toBe(200);
    const response = await fetch(`${receiver.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    expect(html.indexOf('LatencyErrorBudgetBurn')).toBeGreaterThan(0);
    expect(html.indexOf('LatencyErrorBudgetBurn')).toBeLessThan(html.indexOf('TargetDown'));
    expect(html).toContain('FIRING');
    expect(html).toContain('service users');
    expect(html).toContain('Second.');
    expect(html).toContain('p99 is 800ms.');
    expect(html).toContain(`<a href="${receiver.url}/runbooks/slo.md#latencyerrorbudgetburn">runbook</a>`);
    expect(lines).toHaveLength(2);
  });

  it('escapes everything that came in a webhook, and links only http(s) URLs', async () => {
    const evil = '<script>alert(1)</script>"\'&';
    await post('/paging', webhook('firing', `X${evil}`, { summary: evil, description: evil, runbook_url: 'javascript:alert(1)' }, { service: evil }));
    const response = await fetch(`${receiver.url}/`);
    const html = await response.text();
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('javascript:');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('says when nothing has arrived yet', async () => {
    expect(await (await fetch(`${receiver.url}/`)).text()).toContain('No notifications yet.');
  });

  it('answers 400 to a POST that is not an Alertmanager webhook, and keeps serving', async () => {
    const notJson = await post('/paging', '{');
    expect([notJson.status, await notJson.text()]).toEqual([400, 'notification is not JSON\n']);
    const wrongShape = await post('/paging', { hello: 'world' });
    expect([wrongShape.status, await wrongShape.text()]).toEqual([400, 'not an Alertmanager webhook payload (expected status and alerts)\n']);
    expect(receiver.notifications()).toHaveLength(0);
    expect((await fetch(`${receiver.url}/`)).status).toBe(200);
  });

  it('answers 405 to another method', async () => {
    const response = await fetch(`${receiver.url}/`, { method: 'DELETE' });
    expect([response.status, response.headers.get('allow')]).toEqual([405, 'GET, HEAD, POST']);
  });
});

describe('the receiver’s runbooks', () => {
  it('serves every runbook as HTML whose heading anchors are the ones the alert rules link to', async () => {
    const files = await listRunbooks();
    expect(files).toEqual(expect.arrayContaining(['slo.md', 'red.md', 'nodejs.md', 'host.md', 'resources.md', 'exceptions.md']));
    for (const file of files) {
      const response = await fetch(`${receiver.url}/runbooks/${file}`);
      expect(response.status, file).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const html = await response.text();
      expect(headingIds(html), file).toEqual([...markdownAnchors(readFileSync(path.join(RUNBOOKS_DIR, file), 'utf8'))]);
    }
  });

  it('lands slo.md#availabilityerrorbudgetburn on that section, rendered as HTML', async () => {
    const html = await (await fetch(`${receiver.url}/runbooks/slo.md`)).text();
    expect(html).toContain('<h2 id="availabilityerrorbudgetburn"><a href="#availabilityerrorbudgetburn">AvailabilityErrorBudgetBurn</a></h2>');
    expect(html).toMatch(/<title>Runbooks: SLO error-budget burn alerts<\/title>/);
    expect(html).toContain('<table>');
    expect(html).toMatch(/<pre><code class="language-promql">/);
    expect(html).not.toMatch(/^#+ /m);
  });

  it('lists the runbooks at /runbooks/', async () => {
    const html = await (await fetch(`${receiver.url}/runbooks/`)).text();
    expect(html).toContain('<a href="slo.md">slo.md</a>');
  });

  it.each([
    '/runbooks/nope.md',
    '/runbooks/../README.md',
    '/runbooks/..%2FREADME.md',
    '/runbooks/%2e%2e/%2e%2e/package.json',
    '/runbooks/..%2f..%2fpackage.json',
    '/runbooks/SLO.md',
    '/runbooks/slo.md/',
    '/runbooks/slo.rules.yml',
    '/runbooks/%00slo.md',
    '/etc/passwd',
  ])('answers 404 to %s, and keeps serving', async (target) => {
    const response = await fetch(receiver.url + target);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('"name"');
    expect((await fetch(`${receiver.url}/runbooks/slo.md`)).status).toBe(200);
  });
});

describe('the receiver’s short links', () => {
  it('redirects a short link with a 302 to its target', async () => {
    const target = 'http://127.0.0.1:9/graph?g0.expr=sum%28rate%28x%5B1m%5D%29%29&g0.tab=0';
    const link = receiver.shortLink('/graph/errors', target);
    expect(link).toBe(`${receiver.url}/graph/errors`);
    const response = await fetch(link, { redirect: 'manual' });
    expect([response.status, response.headers.get('location')]).toEqual([302, target]);
    expect((await fetch(`${receiver.url}/graph/nothing`, { redirect: 'manual' })).status).toBe(404);
  });

  it('refuses a path it serves itself, and a target that is not http(s)', () => {
    expect(() => receiver.shortLink('/runbooks/x', 'http://127.0.0.1/')).toThrow('short link path "/runbooks/x" is not');
    expect(() => receiver.shortLink('graph', 'http://127.0.0.1/')).toThrow('short link path "graph" is not');
    expect(() => receiver.shortLink('/graph/x', 'javascript:alert(1)')).toThrow('short link target "javascript:alert(1)" is not an http(s) URL');
  });
});
