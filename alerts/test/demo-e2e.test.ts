/**
 * End to end on the demo: the three services under load, real Prometheus evaluating the shipped
 * rules (overlaid for speed: 1 s evaluation, `for:` cut to 5 s, expressions unchanged), real
 * Alertmanager with the shipped routing and inhibition, and the demo's receiver.
 *
 * A 50 % error rate in `users` pages; stopping `thoughts` pages its TargetDown and inhibits its
 * other alerts; clearing the fault sends the resolved notification.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack } from '../../demo-services/launcher/src/stack.ts';
import type { Stack } from '../../demo-services/launcher/src/stack.ts';
import type { Notification } from '../../demo-services/launcher/src/receiver.ts';
import { createTestOverlay } from '../test-overlay/overlay.ts';
import type { TestOverlay } from '../test-overlay/overlay.ts';

const firing = (alertname: string, job: string) => (n: Notification) =>
  n.status === 'firing' && n.alerts.some((a) => a.status === 'firing' && a.labels.alertname === alertname && a.labels.job === job);

async function setFaults(stack: Stack, service: 'users' | 'thoughts', change: Record<string, unknown> | null): Promise<void> {
  const res = await fetch(`${stack.adminUrls[service]}/faults`, {
    method: change === null ? 'DELETE' : 'PUT',
    headers: { 'content-type': 'application/json' },
    body: change === null ? undefined : JSON.stringify(change),
  });
  expect(res.ok).toBe(true);
}

describe('alerts end to end on the demo services', () => {
  let stack: Stack;
  let overlay: TestOverlay;
  let stateDir: string;

  beforeAll(async () => {
    overlay = createTestOverlay({ evaluationInterval: '1s', maxFor: '5s' });
    stateDir = mkdtempSync(join(tmpdir(), 'periscope-e2e-'));
    stack = await startStack({
      ports: { frontend: 0, users: 0, thoughts: 0, prometheus: 0, alertmanager: 0, nodeExporter: 0, receiver: 0 },
      load: { rate: 25 },
      ruleFiles: [...overlay.ruleFiles],
      prometheusGlobal: { scrape_interval: '1s', evaluation_interval: '1s' },
      alertmanagerTiming: { group_wait: '1s', group_interval: '1s' },
      stateDir,
      quiet: true,
    });
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    overlay?.remove();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });

  it('pages for a 50 % error rate in users, pages TargetDown for a stopped thoughts and inhibits its other alerts, and resolves', async () => {
    const receiver = stack.receiver!;
    expect(receiver, 'Alertmanager and the receiver run').toBeDefined();

    const faultAt = Date.now();
    await setFaults(stack, 'users', { errorRate: 0.5 });
    const page = await receiver.waitFor((n) => n.path === '/paging' && firing('ServiceErrorRatioHigh', 'users')(n), 90_000);
    const fireMs = Date.now() - faultAt;
    const alert = page.alerts.find((a) => a.labels.alertname === 'ServiceErrorRatioHigh' && a.labels.job === 'users')!;
    expect(alert.labels.severity).toBe('critical');
    expect(alert.annotations.runbook_url).toMatch(/alerts\/runbooks\/red\.md#serviceerrorratiohigh$/);
    expect(alert.annotations.description).toMatch(/users/);

    // Stop thoughts: its TargetDown pages, and any other alert of thoughts is held back.
    await stack.stopService('thoughts');
    const down = await receiver.waitFor((n) => n.path === '/paging' && firing('TargetDown', 'thoughts')(n), 60_000);
    expect(down.alerts.find((a) => a.labels.alertname === 'TargetDown')!.labels.severity).toBe('critical');
    const am = stack.urls.alertmanager!;
    const probe = [{ labels: { alertname: 'ServiceLatencyHigh', job: 'thoughts', severity: 'warning' }, annotations: { summary: 'Inhibition probe.' } }];
    expect((await fetch(`${am}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(probe) })).ok).toBe(true);
    const suppressed = await (async () => {
      for (let i = 0; i < 50; i++) {
        const alerts = (await (await fetch(`${am}/api/v2/alerts?filter=alertname%3D%22ServiceLatencyHigh%22`)).json()) as { status: { state: string; inhibitedBy: string[] } }[];
        if (alerts[0]?.status.state === 'suppressed') return alerts[0];
        await new Promise((r) => setTimeout(r, 200));
      }
      return undefined;
    })();
    expect(suppressed?.status.inhibitedBy.length).toBeGreaterThan(0);

    // Clear the fault: the page resolves.
    const clearAt = Date.now();
    await setFaults(stack, 'users', null);
    await receiver.waitFor(
      (n) => n.status === 'resolved' && n.alerts.some((a) => a.status === 'resolved' && a.labels.alertname === 'ServiceErrorRatioHigh' && a.labels.job === 'users' && a.labels.severity === 'critical'),
      120_000,
    );
    const resolveMs = Date.now() - clearAt;
    expect(receiver.notifications().some((n) => n.alerts.some((a) => a.labels.alertname === 'ServiceLatencyHigh'))).toBe(false);
    console.log(`fault → page ${fireMs} ms; clear → resolved ${resolveMs} ms`);
  }, 300_000);
});
