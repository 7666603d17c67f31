// Smoke test of the whole demo: the real services, loadgen, Prometheus, Alertmanager, the node
// exporter and the receiver on ephemeral ports, with a 1 s scrape interval and one alert rule of
// its own, so that it runs in well under 90 s.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { FILE_SD, RUNBOOK_BASE_LABEL } from '@periscope/stack';
import { HEADER, LABEL, LOG_KEY, METRIC } from '@periscope/instrument/contract';
import { DEMO_ACCOUNTS } from '../../shared/src/demo-accounts.ts';
import { SERVICE_NAMES } from '../../shared/src/topology.ts';
import { isAlive } from '../src/child.ts';
import { clearFaults, setFaults } from '../src/fault-client.ts';
import { activeTargets, instantQuery } from '../src/prometheus-api.ts';
import type { PromSample } from '../src/prometheus-api.ts';
import { startStack } from '../src/stack.ts';
import type { Stack } from '../src/stack.ts';
import { waitUntil } from '../src/wait.ts';

const ALERT = 'SmokeUsersServerErrors';
const EPHEMERAL = { frontend: 0, users: 0, thoughts: 0, prometheus: 0, alertmanager: 0, nodeExporter: 0, receiver: 0 } as const;

let dir: string;
let stack: Stack | undefined;
let pids: number[] = [];

/** Polls a PromQL query until `accept` holds for its result (bounded). */
async function queryUntil(expr: string, accept: (samples: PromSample[]) => boolean, timeoutMs = 20_000): Promise<PromSample[]> {
  let last: PromSample[] = [];
  return waitUntil(
    async () => {
      last = await instantQuery(stack!.urls.prometheus!, expr);
      return accept(last) ? last : undefined;
    },
    { timeoutMs, intervalMs: 500, describe: () => `${expr} returned ${JSON.stringify(last.map((s) => s.metric))}` },
  );
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'periscope-smoke-'));
  const rules = path.join(dir, 'smoke.rules.yml');
  const serverErrors = `sum(rate(${METRIC.serverDuration}_count{job="users",${LABEL.status}=~"5.."}[5s])) > 0`;
  writeFileSync(
    rules,
    stringify({ groups: [{ name: 'smoke', rules: [{ alert: ALERT, expr: serverErrors, labels: { severity: 'warning' }, annotations: { summary: 'users answers 5xx' } }] }] }),
  );
  stack = await startStack({
    ports: EPHEMERAL,
    load: { rate: 20 },
    ruleFiles: [rules],
    prometheusGlobal: { scrape_interval: '1s', evaluation_interval: '1s' },
    alertmanagerTiming: { group_wait: '1s', group_interval: '1s', repeat_interval: '1h' },
    stateDir: path.join(dir, 'state'),
    quiet: true,
    installMissing: false,
    targetsTimeoutMs: 30_000,
  });
  pids = stack.pids();
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the demo stack', () => {
  it('runs every component, and Prometheus sees every target up', async () => {
    expect(stack!.skipped).toEqual([]);
    const targets = await stack!.waitForTargets(10_000);
    expect(new Set(targets.map((t) => t.job))).toEqual(new Set(['frontend', 'users', 'thoughts', 'node', 'prometheus', 'alertmanager']));
    expect(targets.filter((t) => t.health !== 'up')).toEqual([]);
  });

  it('finds every service through its target file, and no static job names a service', async () => {
    expect(readdirSync(stack!.targetsDir).sort()).toEqual(SERVICE_NAMES.map((name) => `${name}.json`).sort());
    const config = parse(readFileSync(path.join(stack!.stateDir, 'config/prometheus.yml'), 'utf8')) as { scrape_configs: { job_name: string }[] };
    expect(config.scrape_configs.map((j) => j.job_name).sort()).toEqual([FILE_SD.jobName, 'alertmanager', 'node', 'prometheus'].sort());
  });

  it('scrapes a process outside the demo once a target is added for it, keeping its team label', async () => {
    const app = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('outside_up 1\n'));
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    try {
      const file = stack!.addTarget('outside', `127.0.0.1:${(app.address() as AddressInfo).port}`, { team: 'payments' });
      expect(path.dirname(file)).toBe(stack!.targetsDir);
      const targets = await stack!.waitForTargets(15_000);
      expect(targets.filter((t) => t.job === 'outside').map((t) => t.health)).toEqual(['up']);
      const [sample] = await queryUntil('outside_up', (s) => s.length === 1);
      expect(sample!.metric).toMatchObject({ job: 'outside', team: 'payments' });
      stack!.removeTarget('outside');
      expect(existsSync(file)).toBe(false);
      await waitUntil(async () => !(await activeTargets(stack!.urls.prometheus!)).some((t) => t.job === 'outside'), {
        timeoutMs: 15_000,
        describe: () => 'the outside target is still active',
      });
    } finally {
      app.close();
    }
  });

  it("points runbook links at the receiver's /runbooks/ with the external label", async () => {
    const status = (await (await fetch(`${stack!.urls.prometheus}/api/v1/status/config`)).json()) as { data: { yaml: string } };
    const global = (parse(status.data.yaml) as { global: { external_labels?: Record<string, string> } }).global;
    expect(global.external_labels?.[RUNBOOK_BASE_LABEL]).toBe(`${stack!.urls.receiver}/runbooks/`);
  });

  it('records RED series for every service, with at least three frontend routes', async () => {
    const expr = `count by (job, ${LABEL.route}) (${METRIC.serverDuration}_count)`;
    const samples = await queryUntil(expr, (s) => {
      const frontendRoutes = s.filter((x) => x.metric.job === 'frontend').length;
      return SERVICE_NAMES.every((job) => s.some((x) => x.metric.job === job)) && frontendRoutes >= 3;
    });
    const routes = new Set(samples.map((s) => `${s.metric.job} ${s.metric[LABEL.route]}`));
    expect(routes).toContain('users /login');
    expect(routes).toContain('thoughts /search');
    const buckets = await instantQuery(stack!.urls.prometheus!, `count by (job) (${METRIC.serverDuration}_bucket)`);
    expect(buckets.map((s) => s.metric.job).sort()).toEqual([...SERVICE_NAMES].sort());
  });

  it('exports the search pool as a resource with capacity 4', async () => {
    const [capacity] = await queryUntil(`${METRIC.resourceCapacity}{job="thoughts",${LABEL.resource}="search-pool"}`, (s) => s.length === 1);
    expect(capacity!.value).toBe(4);
    for (const metric of [METRIC.resourceInUse, METRIC.resourceWaiting, METRIC.resourceErrors]) {
      expect(await instantQuery(stack!.urls.prometheus!, `${metric}{job="thoughts",${LABEL.resource}="search-pool"}`)).toHaveLength(1);
    }
  });

  it("logs a request sent with a chosen X-Request-ID in all three services' log files", async () => {
    const frontend = stack!.urls.frontend!;
    const account = DEMO_ACCOUNTS[0]!;
    const login = await fetch(`${frontend}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: account.username, password: account.password }),
    });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    const requestId = `smoke-${Date.now().toString(36)}`;
    const post = await fetch(`${frontend}/api/thoughts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, [HEADER.requestId]: requestId },
      body: JSON.stringify({ text: 'A thought that crosses three services.' }),
    });
    expect(post.status).toBe(201);
    expect(post.headers.get(HEADER.requestId)).toBe(requestId);
    const loggedBy = () =>
      SERVICE_NAMES.filter((name) =>
        readFileSync(stack!.logFile(name), 'utf8')
          .split('\n')
          .some((line) => line.includes(requestId) && (JSON.parse(line) as Record<string, unknown>)[LOG_KEY.requestId] === requestId),
      );
    await waitUntil(() => loggedBy().length === SERVICE_NAMES.length, { timeoutMs: 5000, describe: () => `request ${requestId} logged only by ${loggedBy().join(', ')}` });
  });

  it('delivers a firing and then a resolved alert to the receiver when a fault is switched on and off', async () => {
    const receiver = stack!.receiver!;
    await setFaults(stack!.adminUrls.users, { errorRate: 1 });
    const firing = await receiver.waitFor((n) => n.status === 'firing' && n.alerts.some((a) => a.labels.alertname === ALERT), 30_000);
    expect(firing.path).toBe('/team');
    await clearFaults(stack!.adminUrls.users);
    const resolved = await receiver.waitFor((n) => n.status === 'resolved' && n.alerts.some((a) => a.labels.alertname === ALERT), 30_000);
    expect(resolved.receivedAt.getTime()).toBeGreaterThan(firing.receivedAt.getTime());
  });

  it('leaves no process it started alive after stop', async () => {
    expect(pids.length).toBeGreaterThanOrEqual(7);
    const targetsDir = stack!.targetsDir;
    await stack!.stop();
    stack = undefined;
    expect(pids.filter(isAlive)).toEqual([]);
    expect(readdirSync(targetsDir)).toEqual([]);
  });
});
