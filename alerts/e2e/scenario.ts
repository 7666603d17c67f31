/**
 * One fault, end to end, on its own demo stack: the real services under load, a real Prometheus
 * evaluating the shipped rules (every file, unchanged: expressions, windows, `for:`), with three
 * days of clean history behind it (history.ts), a real Alertmanager with the shipped routing,
 * grouping and inhibition, and the demo's receiver. Only Prometheus' scrape and evaluation
 * intervals are shorter than shipped (5s instead of 15s), which Prometheus allows.
 *
 * The scenario injects the fault, waits for the page, clears the fault, waits for the resolved
 * notification, and reports what was paged, when, and what else fired.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { instantQuery, startStack } from '@periscope-demo/launcher';
import type { Notification, Stack } from '@periscope-demo/launcher';
import { SERVICES, SERVICE_NAMES } from '@periscope-demo/shared';
import type { ServiceName } from '@periscope-demo/shared';
import { writeHistory } from './history.ts';

/** Prometheus' intervals in the test; the shipped configs use 15s. */
export const TEST_INTERVAL = '5s';

/** A fault to inject: a change to a service's fault switch, or stopping the service. */
export type Fault = { readonly kind: 'switch'; readonly change: Record<string, unknown> } | { readonly kind: 'stop' };

export interface ScenarioOptions {
  readonly name: string;
  readonly service: ServiceName;
  readonly fault: Fault;
  /** Requests per second the load generator sends to the frontend. */
  readonly loadRate: number;
  /** Requests per second each job served in the history (clean). */
  readonly historyRates: Readonly<Record<ServiceName, number>>;
  /** Clean traffic before the fault. */
  readonly warmupMs: number;
  /** How long to wait for the page, and for the resolved notification after clearing. */
  readonly pageTimeoutMs: number;
  readonly resolveTimeoutMs: number;
  readonly log: (line: string) => void;
}

export interface ScenarioResult {
  readonly name: string;
  /** Fault injected → first paging notification. */
  readonly pageMs: number;
  /** Fault cleared → the page group's resolved notification. */
  readonly resolveMs: number;
  /** The alerts of the first page. */
  readonly paged: Notification['alerts'];
  /** Notifications received before the fault (any path): there should be none. */
  readonly beforeFault: Notification[];
  /** Every notification received on /paging, and on /team. */
  readonly paging: Notification[];
  readonly team: Notification[];
  /** Alerts firing in Prometheus (any severity) at any of the checks, as `alertname{service}`. */
  readonly firedInPrometheus: string[];
  /** Alerts still firing in Prometheus when the scenario ended. */
  readonly stillFiring: string[];
  /** Requests per second of each job just before the fault (live series only). */
  readonly liveRates: Record<string, number>;
}

async function setFaults(stack: Stack, service: ServiceName, change: Record<string, unknown> | null): Promise<void> {
  const res = await fetch(`${stack.adminUrls[service]}/faults`, {
    method: change === null ? 'DELETE' : 'PUT',
    headers: { 'content-type': 'application/json' },
    body: change === null ? undefined : JSON.stringify(change),
  });
  if (!res.ok) throw new Error(`setting faults of ${service} to ${JSON.stringify(change)}: HTTP ${res.status} ${await res.text()}`);
}

async function firingAlerts(stack: Stack): Promise<string[]> {
  const samples = await instantQuery(stack.urls.prometheus!, 'ALERTS{alertstate="firing"}');
  return samples.map((s) => `${s.metric.alertname}{service=${s.metric.service ?? s.metric.job ?? ''},severity=${s.metric.severity}}`).sort();
}

async function waitForNotification(stack: Stack, predicate: (n: Notification) => boolean, timeoutMs: number, onTick: () => Promise<void>): Promise<Notification> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = stack.receiver!.notifications().find(predicate);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no matching notification within ${timeoutMs} ms; received: ${JSON.stringify(stack.receiver!.notifications().map((n) => [n.path, n.status, n.groupLabels]))}`);
    await onTick().catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

/** Runs one scenario on a stack of its own and stops the stack, whatever happens. */
export async function runScenario(options: ScenarioOptions): Promise<ScenarioResult> {
  const { service, log } = options;
  const stateDir = mkdtempSync(join(tmpdir(), `periscope-e2e-${options.name}-`));
  let stack: Stack | undefined;
  const fired = new Set<string>();
  const sample = async () => {
    if (stack) for (const alert of await firingAlerts(stack)) fired.add(alert);
  };
  try {
    await writeHistory({
      dataDir: join(stateDir, 'prometheus'),
      rates: options.historyRates,
      buckets: Object.fromEntries(SERVICE_NAMES.map((name) => [name, [SERVICES[name].slo.latency.threshold]])),
    });
    stack = await startStack({
      ports: { frontend: 0, users: 0, thoughts: 0, prometheus: 0, alertmanager: 0, receiver: 0 },
      nodeExporter: false,
      load: { rate: options.loadRate },
      prometheusGlobal: { scrape_interval: TEST_INTERVAL, evaluation_interval: TEST_INTERVAL },
      stateDir,
      quiet: true,
    });
    const receiver = stack.receiver;
    if (!receiver) throw new Error('the stack runs no Alertmanager and receiver');
    await new Promise((resolve) => setTimeout(resolve, options.warmupMs));
    await sample();
    const rates = await instantQuery(stack.urls.prometheus!, 'sum by (job) (rate(http_server_request_duration_seconds_count{instance!="history"}[1m]))');
    const liveRates = Object.fromEntries(rates.map((s) => [s.metric.job!, Number(s.value.toFixed(2))]));

    const beforeFault = receiver.notifications();
    const faultAt = Date.now();
    if (options.fault.kind === 'stop') await stack.stopService(service);
    else await setFaults(stack, service, options.fault.change);
    log(`${options.name}: fault injected in ${service} (live rates ${JSON.stringify(liveRates)})`);
    const isPage = (n: Notification) => n.path === '/paging' && n.status === 'firing';
    const page = await waitForNotification(stack, isPage, options.pageTimeoutMs, sample);
    const pageMs = Date.now() - faultAt;
    log(`${options.name}: paged after ${(pageMs / 1000).toFixed(1)} s: ${page.alerts.map((a) => `${a.labels.alertname}{service=${a.labels.service}}`).join(', ')}`);

    const clearAt = Date.now();
    if (options.fault.kind === 'stop') await stack.startService(service);
    else await setFaults(stack, service, null);
    const resolved = await waitForNotification(
      stack,
      (n) => n.path === '/paging' && n.status === 'resolved' && n.groupKey === page.groupKey,
      options.resolveTimeoutMs,
      sample,
    );
    const resolveMs = resolved.receivedAt.getTime() - clearAt;
    log(`${options.name}: resolved ${(resolveMs / 1000).toFixed(1)} s after the fault was cleared`);
    await sample();
    const all = receiver.notifications();
    return {
      name: options.name,
      pageMs,
      resolveMs,
      paged: page.alerts,
      beforeFault,
      paging: all.filter((n) => n.path === '/paging'),
      team: all.filter((n) => n.path === '/team'),
      firedInPrometheus: [...fired].sort(),
      stillFiring: await firingAlerts(stack),
      liveRates,
    };
  } finally {
    await stack?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}
