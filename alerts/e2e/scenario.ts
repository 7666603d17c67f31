/**
 * One fault, end to end, on its own demo stack: the real services, a real Prometheus evaluating
 * the shipped rules (every file, unchanged: expressions, windows, `for:`) and the demo's declared
 * objectives, with three days of clean history behind it (history.ts), a real Alertmanager with
 * the shipped routing, grouping and inhibition, and the demo's receiver. Only Prometheus' scrape
 * and evaluation intervals are shorter than shipped (5s instead of 15s), which Prometheus allows.
 *
 * The fault is in a demo service (under the load generator's traffic), or in a service outside
 * the demo: a minimal instrumented app started here beside a healthy neighbour, both found by the
 * discovery convention (a target file in the stack's targets folder) and held to the default
 * objectives, as any team's service that installs the package.
 *
 * The scenario injects the fault, waits for the page, clears the fault, waits for the resolved
 * notification, and reports what was paged, when, and what else fired.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DEFAULT_OBJECTIVES, SLO_SERIES } from '@periscope/stack';
import { instantQuery, startStack } from '@periscope-demo/launcher';
import type { Notification, Stack } from '@periscope-demo/launcher';
import type { ServiceName } from '@periscope-demo/shared';
import { startOutsideService } from '../../tools/testing/outside-service.ts';
import type { OutsideService, RequestMix } from '../../tools/testing/outside-service.ts';
import { writeHistory } from './history.ts';

/** Prometheus' intervals in the test; the shipped configs use 15s. */
export const TEST_INTERVAL = '5s';

/**
 * A fault to inject: a change to a demo service's fault switch, or stopping it; or, for a service
 * outside the demo, the share of its requests that fail or are slow.
 */
export type Fault =
  | { readonly kind: 'switch'; readonly change: Record<string, unknown> }
  | { readonly kind: 'stop' }
  | { readonly kind: 'mix'; readonly mix: RequestMix };

/** Services outside the demo to run beside it: the one with the fault, and a healthy neighbour. */
export interface OutsideServices {
  readonly faulty: string;
  readonly neighbour: string;
  /** Requests per second each one gets (and served in its history). */
  readonly perSecond: number;
}

export interface ScenarioOptions {
  readonly name: string;
  /** The service the fault is in: a demo service, or `outside.faulty`. */
  readonly service: string;
  readonly fault: Fault;
  /** Requests per second the load generator sends to the frontend, or 0 for none. */
  readonly loadRate: number;
  /** Requests per second each demo service served in the history (clean). */
  readonly historyRates: Readonly<Record<ServiceName, number>>;
  readonly outside?: OutsideServices;
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
  /** The page group's resolved notification. */
  readonly resolved: Notification;
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

/**
 * The latency thresholds any service of the scenario is held to: the default, and those the
 * demo's services declare (demo-services/slo.rules.yml). The history keeps a bucket for each.
 */
function latencyThresholds(): number[] {
  const declared = parse(readFileSync(new URL('../../demo-services/slo.rules.yml', import.meta.url), 'utf8')) as { groups: { rules: { record: string; labels: Record<string, string> }[] }[] };
  const les = declared.groups.flatMap((g) => g.rules).filter((r) => r.record === SLO_SERIES.declaredObjective && r.labels.le !== undefined).map((r) => Number(r.labels.le));
  return [...new Set([DEFAULT_OBJECTIVES.latency.threshold, ...les])].sort((a, b) => a - b);
}

async function setFaults(stack: Stack, service: string, change: Record<string, unknown> | null): Promise<void> {
  const res = await fetch(`${stack.adminUrls[service as ServiceName]}/faults`, {
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
  const outside = new Map<string, OutsideService>();
  const fired = new Set<string>();
  const sample = async () => {
    if (stack) for (const alert of await firingAlerts(stack)) fired.add(alert);
  };
  try {
    const outsideJobs = options.outside ? [options.outside.faulty, options.outside.neighbour] : [];
    const historyRates: Record<string, number> = { ...options.historyRates };
    for (const job of outsideJobs) historyRates[job] = options.outside!.perSecond;
    // Every request of the history is faster than every threshold in use: good for any service.
    const thresholds = latencyThresholds();
    await writeHistory({
      dataDir: join(stateDir, 'prometheus'),
      rates: historyRates,
      buckets: Object.fromEntries(Object.keys(historyRates).map((job) => [job, thresholds])),
    });
    stack = await startStack({
      ports: { frontend: 0, users: 0, thoughts: 0, prometheus: 0, alertmanager: 0, receiver: 0 },
      nodeExporter: false,
      load: options.loadRate > 0 ? { rate: options.loadRate } : false,
      prometheusGlobal: { scrape_interval: TEST_INTERVAL, evaluation_interval: TEST_INTERVAL },
      stateDir,
      quiet: true,
    });
    const receiver = stack.receiver;
    if (!receiver) throw new Error('the stack runs no Alertmanager and receiver');
    for (const job of outsideJobs) {
      const service = await startOutsideService(job, { perSecond: options.outside!.perSecond });
      outside.set(job, service);
      stack.addTarget(job, service.hostPort);
    }
    if (outsideJobs.length > 0) await stack.waitForTargets();
    await new Promise((resolve) => setTimeout(resolve, options.warmupMs));
    await sample();
    const rates = await instantQuery(stack.urls.prometheus!, 'sum by (job) (rate(http_server_request_duration_seconds_count{instance!="history"}[1m]))');
    const liveRates = Object.fromEntries(rates.map((s) => [s.metric.job!, Number(s.value.toFixed(2))]));

    const beforeFault = receiver.notifications();
    const faultAt = Date.now();
    if (options.fault.kind === 'stop') await stack.stopService(service as ServiceName);
    else if (options.fault.kind === 'mix') outside.get(service)!.setMix(options.fault.mix);
    else await setFaults(stack, service, options.fault.change);
    log(`${options.name}: fault injected in ${service} (live rates ${JSON.stringify(liveRates)})`);
    const isPage = (n: Notification) => n.path === '/paging' && n.status === 'firing';
    const page = await waitForNotification(stack, isPage, options.pageTimeoutMs, sample);
    const pageMs = Date.now() - faultAt;
    log(`${options.name}: paged after ${(pageMs / 1000).toFixed(1)} s: ${page.alerts.map((a) => `${a.labels.alertname}{service=${a.labels.service}}`).join(', ')}`);

    const clearAt = Date.now();
    if (options.fault.kind === 'stop') await stack.startService(service as ServiceName);
    else if (options.fault.kind === 'mix') outside.get(service)!.setMix({});
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
      resolved,
      beforeFault,
      paging: all.filter((n) => n.path === '/paging'),
      team: all.filter((n) => n.path === '/team'),
      firedInPrometheus: [...fired].sort(),
      stillFiring: await firingAlerts(stack),
      liveRates,
    };
  } finally {
    await Promise.all([...outside.values()].map((service) => service.stop()));
    await stack?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}
