// One fault, one page: the shipped routing and inhibition (deploy/alertmanager/alertmanager.yml) on a
// real Alertmanager, delivering to the demo's receiver, whose lines are what the on-call reads. A stand-in for Prometheus sends the alerts as Prometheus does: every alert it
// holds, again every second (firing ones with an end a minute ahead, resolved ones with the time
// they resolved, for as long as Prometheus keeps re-sending them: 15 minutes).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { startAlertmanager } from '../../../tools/testing/alertmanager.ts';
import type { LoopbackServer } from '../../../tools/testing/process.ts';
import { waitFor } from '../../../tools/testing/wait.ts';
import { deriveAlertmanagerConfig } from '../src/alertmanager-config.ts';
import { ALERTMANAGER_SOURCE } from '../src/paths.ts';
import { startReceiver } from '../src/receiver.ts';
import type { Notification, Receiver } from '../src/receiver.ts';

const CONFIG = ALERTMANAGER_SOURCE;
const GROUP_INTERVAL_MS = 2000;

interface SentAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt?: string;
}

let dir: string;
let receiver: Receiver;
let alertmanager: LoopbackServer;
let lines: string[];
let held: Map<string, SentAlert>;
let timer: NodeJS.Timeout | undefined;

/** Sends every held alert to Alertmanager, as Prometheus does after each evaluation. */
async function evaluate(): Promise<void> {
  const now = Date.now();
  const body = [...held.values()].map((a) => ({ ...a, endsAt: a.endsAt ?? new Date(now + 60_000).toISOString() }));
  if (body.length === 0) return;
  const response = await fetch(`${alertmanager.url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status).toBe(200);
}

const key = (labels: Record<string, string>) => JSON.stringify(Object.entries(labels).sort());

/** A burn-rate page of users, as slo.rules.yml labels it. */
const burn = (alertname: string, sli: string, long: string) => ({ alertname, service: 'users', job: 'users', severity: 'critical', sli, long, short: '5m' });

async function fire(labels: Record<string, string>): Promise<void> {
  held.set(key(labels), { labels, annotations: { summary: `${labels.alertname} ${labels.long}.`, runbook_url: `http://127.0.0.1:9099/runbooks/slo.md#${labels.alertname!.toLowerCase()}` }, startsAt: new Date().toISOString() });
  await evaluate();
}

async function resolve(...labels: Record<string, string>[]): Promise<void> {
  const now = new Date().toISOString();
  for (const l of labels) held.get(key(l))!.endsAt = now;
  await evaluate();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const since = (from: number) => receiver.notifications().filter((n) => n.path === '/paging' && n.receivedAt.getTime() >= from);
/**
 * The notifications of an incident: from `from` on, those that carry one of its alerts. The
 * earlier incident's own resolve can still be on its way when the next one starts (on a busy
 * machine it arrived after it); it carries none of the new incident's alerts.
 */
const about = (from: number, alertname: string) => since(from).filter((n) => n.alerts.some((a) => a.labels.alertname === alertname));
const withStatus = (list: Notification[], status: string) => list.filter((n) => n.status === status);

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'periscope-paging-'));
  lines = [];
  held = new Map();
  receiver = await startReceiver(0, (line) => lines.push(line));
  const config = deriveAlertmanagerConfig({
    sourceText: readFileSync(CONFIG, 'utf8'),
    receiverUrl: receiver.url,
    timing: { group_wait: '1s', group_interval: `${GROUP_INTERVAL_MS / 1000}s` },
  });
  const file = path.join(dir, 'alertmanager.yml');
  writeFileSync(file, stringify(config));
  alertmanager = await startAlertmanager(file);
  timer = setInterval(() => void evaluate().catch(() => {}), 1000);
});

afterEach(async () => {
  clearInterval(timer);
  await alertmanager?.stop();
  await receiver?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('paging on a real Alertmanager', () => {
  it('pages once for a fault whose two burn alerts fire one after the other, and resolves once, naming what resolved', async () => {
    // An earlier incident of the same service: its resolved alerts are still re-sent while the next one starts.
    const before = [burn('AvailabilityErrorBudgetBurn', 'availability', '1h'), burn('AvailabilityErrorBudgetBurn', 'availability', '6h')];
    await fire(before[0]!);
    await fire(before[1]!);
    await receiver.waitFor((n) => n.status === 'firing', 15_000);
    await resolve(...before);
    await receiver.waitFor((n) => n.status === 'resolved', 15_000);

    // The latency fault: the fast pair (1h/5m) fires, the slow one (6h/5m) a little later.
    const start = Date.now();
    const fast = burn('LatencyErrorBudgetBurn', 'latency', '1h');
    const slow = burn('LatencyErrorBudgetBurn', 'latency', '6h');
    await fire(fast);
    const latency = () => about(start, 'LatencyErrorBudgetBurn');
    await waitFor('the page', () => withStatus(latency(), 'firing').length > 0, 15_000);
    await sleep(GROUP_INTERVAL_MS);
    await fire(slow);
    await sleep(3 * GROUP_INTERVAL_MS);
    expect(withStatus(latency(), 'firing'), 'one page, not a second one when the slow pair joins').toHaveLength(1);

    await resolve(fast, slow);
    await waitFor('the resolve', () => withStatus(latency(), 'resolved').length > 0, 15_000);
    await sleep(2 * GROUP_INTERVAL_MS);
    const incident = latency();
    expect(incident.map((n) => n.status)).toEqual(['firing', 'resolved']);
    expect(new Set(incident.map((n) => n.groupKey)).size).toBe(1);

    // Alertmanager listed the earlier incident's resolved alerts in both notifications; the lines leave them out.
    for (const n of incident) expect(n.alerts.filter((a) => a.labels.alertname === 'AvailabilityErrorBudgetBurn' && a.status === 'resolved')).toHaveLength(2);
    const printed = lines.filter((line) => line.includes('LatencyErrorBudgetBurn'));
    expect(printed).toHaveLength(2);
    expect(printed[0]).toMatch(/ FIRING +LatencyErrorBudgetBurn service=users severity=critical → paging: LatencyErrorBudgetBurn 1h\. runbook: /);
    expect(printed[1]).toMatch(/ RESOLVED LatencyErrorBudgetBurn service=users severity=critical \(2 alerts\) → paging: /);
    for (const line of printed) expect(line).not.toContain('Availability');
  }, 60_000);

  it('still pages for the slow pair alone, a burn too slow for the fast one', async () => {
    const start = Date.now();
    await fire(burn('AvailabilityErrorBudgetBurn', 'availability', '6h'));
    const page = await receiver.waitFor((n) => n.status === 'firing' && n.receivedAt.getTime() >= start, 15_000);
    expect(page.alerts.map((a) => a.labels.long)).toEqual(['6h']);
  }, 30_000);

  it('pages for each SLI that burns: the fast pair of one SLI does not silence the other’s', async () => {
    await fire(burn('AvailabilityErrorBudgetBurn', 'availability', '1h'));
    await fire(burn('LatencyErrorBudgetBurn', 'latency', '6h'));
    const page = await waitFor('both alerts in the page', () => receiver.notifications().find((n) => n.status === 'firing' && n.alerts.length === 2), 15_000);
    expect(page.alerts.map((a) => `${a.labels.alertname} ${a.labels.long}`).sort()).toEqual(['AvailabilityErrorBudgetBurn 1h', 'LatencyErrorBudgetBurn 6h']);
  }, 30_000);
});
