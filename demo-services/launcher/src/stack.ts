/**
 * The local demo stack in one call: the three services, loadgen, Prometheus, Alertmanager, the
 * node exporter and the alert receiver, on 127.0.0.1. Used by `npm run demo` and by tests.
 *
 *   const stack = await startStack({ ports: { frontend: 0, ... }, load: { rate: 20 } });
 *   … stack.urls.frontend, stack.receiver?.notifications() …
 *   await stack.stop();
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { LOOPBACK, SERVICE_NAMES, SERVICE_PORTS, portFromEnv } from '../../shared/src/topology.ts';
import type { ServiceName } from '../../shared/src/topology.ts';
import type { AlertmanagerTiming } from './alertmanager-config.ts';
import { ensureBinaries } from './binaries.ts';
import type { BinaryName } from './binaries.ts';
import { describeExit, signalGroup, spawnChild } from './child.ts';
import type { Child } from './child.ts';
import { COMPONENTS } from './components.ts';
import type { ComponentName } from './components.ts';
import { DEFAULT_STATE_DIR, REPO_ROOT, prepareStateDir, rotate } from './paths.ts';
import { alertmanagerSpec, loadgenSpec, nodeExporterSpec, prometheusSpec, serviceSpec } from './process-specs.ts';
import type { ProcessName, ProcessSpec, SpecContext } from './process-specs.ts';
import { activeTargets } from './prometheus-api.ts';
import type { PromTarget } from './prometheus-api.ts';
import type { PrometheusGlobal } from './prometheus-config.ts';
import { reservePorts } from './ports.ts';
import type { PortRequest } from './ports.ts';
import { startReceiver } from './receiver.ts';
import type { Receiver } from './receiver.ts';
import { readStackState, reapLeftovers, removeStackState, writeStackState } from './state.ts';
import { answersOk, waitUntil } from './wait.ts';

export type { ProcessName } from './process-specs.ts';


/** Options of {@link startStack}. Every one is optional. */
export interface StackOptions {
  /** Port per component; 0 = a free ephemeral port. Default: the component's env var, then its default port. */
  ports?: Partial<Record<ComponentName, number>>;
  /** Admin port per service. Default: 0 when the service's port is 0, else `<SERVICE>_ADMIN_PORT`, then 8180–8182. */
  adminPorts?: Partial<Record<ServiceName, number>>;
  /** Load to send through the frontend, or `false` for none. Default `{ rate: 20 }`. */
  load?: { rate: number } | false;
  /** Run Prometheus / Alertmanager (and the receiver) / the node exporter. Each default `true`. */
  prometheus?: boolean;
  alertmanager?: boolean;
  nodeExporter?: boolean;
  /** Replace the config's `rule_files` (absolute paths or globs). */
  ruleFiles?: string[];
  /** Override Prometheus' global scrape/evaluation intervals (e.g. `{ scrape_interval: '1s' }`). */
  prometheusGlobal?: PrometheusGlobal;
  /** Override Alertmanager's grouping timings on every route (e.g. `{ group_wait: '1s' }`). */
  alertmanagerTiming?: AlertmanagerTiming;
  /** Where logs, spans, configs and Prometheus data go. Default `.periscope/` at the repo root. */
  stateDir?: string;
  /** Print nothing (tests). Default `false`. */
  quiet?: boolean;
  /** Where progress lines go. Default `console.log` (nothing when `quiet`). */
  log?: (line: string) => void;
  /** Also print every JSON log line of the services. Default `false` (they are in the log files). */
  echoServiceLogs?: boolean;
  /** Install missing Prometheus/Alertmanager/node exporter with apt-get when root on Debian. Default `true`. */
  installMissing?: boolean;
  /** How long to wait for every Prometheus target to be up. Default 60 s. */
  targetsTimeoutMs?: number;
  /** Environment read for port defaults and passed to children. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/** A running stack. */
export interface Stack {
  /** Base URL of every running component (`http://127.0.0.1:<port>`). */
  readonly urls: Partial<Record<ComponentName, string>>;
  /** Admin (fault) URL of each service, 127.0.0.1 only. */
  readonly adminUrls: Record<ServiceName, string>;
  /** The alert receiver, when Alertmanager runs. */
  readonly receiver: Receiver | undefined;
  readonly stateDir: string;
  /** Components left out because their program is missing or they were switched off. */
  readonly skipped: ComponentName[];
  /** Stops one process (its port stays reserved for {@link Stack.startService}). */
  stopService(name: ProcessName): Promise<void>;
  /** Starts a stopped process again on the same port and waits until it answers. */
  startService(name: ProcessName): Promise<void>;
  /** Path of a process's log file (services: the package's JSON log; others: their output). */
  logFile(name: ProcessName): string;
  /** Path of a service's spans file (OTLP JSON lines). */
  spansFile(name: ServiceName): string;
  /** PIDs (= process group IDs) of every process this stack has started, running or not. */
  pids(): number[];
  /** Waits until every target of the processes the stack runs is up; resolves to all targets. */
  waitForTargets(timeoutMs?: number): Promise<PromTarget[]>;
  /** Stops everything, in order, and removes the state file. Safe to call twice. */
  stop(): Promise<void>;
}


/** Exit codes of a clean stop: 0, none (killed by the signal), or 128+SIGTERM/SIGINT as reported through the sh watchdog. */
const STOPPED_CODES: ReadonlyArray<number | null> = [0, null, 143, 130];

const SERVICE_STOP_ORDER: readonly ProcessName[] = ['loadgen', 'frontend', 'thoughts', 'users', 'prometheus', 'alertmanager', 'nodeExporter'];

/** Starts the stack and resolves once every process answers and every Prometheus target is up. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const env = options.env ?? process.env;
  const say = options.quiet ? () => {} : (options.log ?? ((line: string) => console.log(line)));
  const stateDir = path.resolve(options.stateDir ?? DEFAULT_STATE_DIR);
  const dirs = prepareStateDir(stateDir);
  const reaped = reapLeftovers(stateDir);
  if (reaped.length > 0) say(`Stopped ${reaped.map(processLabel).join(', ')}, left running by an earlier launcher that did not exit cleanly.`);

  // Which external programs run.
  const wanted: BinaryName[] = (['prometheus', 'alertmanager', 'nodeExporter'] as const).filter((name) => options[name] !== false);
  const binaries = wanted.length > 0 ? await ensureBinaries(wanted, say, options.installMissing !== false, env) : {};
  const runs = (name: BinaryName): boolean => binaries[name] !== undefined;
  const skipped = (['prometheus', 'alertmanager', 'nodeExporter'] as const).filter((name) => !runs(name)) as ComponentName[];
  if (!runs('alertmanager')) skipped.push('receiver');

  // Ports, all checked before anything starts.
  const enabled = (Object.keys(COMPONENTS) as ComponentName[]).filter((name) => !skipped.includes(name));
  const requests: Record<string, PortRequest> = {};
  for (const name of enabled) {
    const info = COMPONENTS[name];
    requests[name] = { label: info.label, env: info.env, port: options.ports?.[name] ?? portFromEnv(info.env, info.port, env) };
  }
  for (const name of SERVICE_NAMES) {
    const { adminPort, adminPortEnv } = SERVICE_PORTS[name];
    const fallback = requests[name]!.port === 0 ? 0 : portFromEnv(adminPortEnv, adminPort, env);
    requests[`${name}Admin`] = { label: `${name} admin`, env: adminPortEnv, port: options.adminPorts?.[name] ?? fallback };
  }
  const ports = await reservePorts(requests);
  const url = (port: number) => `http://${LOOPBACK}:${port}`;
  const urls: Partial<Record<ComponentName, string>> = {};
  for (const name of enabled) urls[name] = url(ports[name]!);
  const adminUrls = Object.fromEntries(SERVICE_NAMES.map((name) => [name, url(ports[`${name}Admin`]!)])) as Record<ServiceName, string>;

  const logFile = (name: ProcessName) => path.join(dirs.logs, `${name === 'nodeExporter' ? 'node-exporter' : name}.log`);
  const spansFile = (name: ServiceName) => path.join(dirs.spans, `${name}.jsonl`);
  const context: SpecContext = { ports, urls, binaries, dirs, env, say, logFile, spansFile, echoServiceLogs: options.echoServiceLogs ?? false };
  const specs = new Map<ProcessName, ProcessSpec>();
  const commit = gitCommit();
  for (const name of SERVICE_NAMES) {
    for (const file of [logFile(name), spansFile(name)]) rotate(file);
    specs.set(name, serviceSpec(context, name, commit));
  }
  if (options.load !== false) {
    rotate(logFile('loadgen'));
    specs.set('loadgen', loadgenSpec(context, options.load?.rate ?? 20));
  }
  const targets: Record<string, string> = {};
  for (const name of enabled) {
    const job = COMPONENTS[name].job;
    if (job) targets[job] = `${LOOPBACK}:${ports[name]}`;
  }
  if (runs('nodeExporter')) specs.set('nodeExporter', nodeExporterSpec(context));
  if (runs('alertmanager')) specs.set('alertmanager', alertmanagerSpec(context, options.alertmanagerTiming));
  if (runs('prometheus')) {
    const { spec, foreignJobs } = prometheusSpec(context, {
      targets,
      dropJobs: skipped.map((name) => COMPONENTS[name].job).filter((job): job is string => job !== undefined),
      alertmanager: runs('alertmanager') ? targets.alertmanager : undefined,
      ruleFiles: options.ruleFiles,
      global: options.prometheusGlobal,
    });
    if (foreignJobs.length > 0) say(`Note: the Prometheus config also scrapes ${foreignJobs.join(', ')}, which the demo does not run.`);
    specs.set('prometheus', spec);
  }
  let receiver: Receiver | undefined;

  // Processes, and the bookkeeping that lets a later launcher clean up after a crash of this one.
  const running = new Map<ProcessName, Child>();
  const intentional = new WeakSet<Child>(); // children being stopped on purpose
  const startingUp = new WeakSet<Child>(); // children whose failure startProcess reports itself
  const started: number[] = [];
  const saveState = () =>
    writeStackState(stateDir, {
      launcherPid: process.pid,
      startedAt: new Date().toISOString(),
      urls: urls as Record<string, string>,
      adminUrls,
      children: Object.fromEntries([...running].map(([name, child]) => [name, { pid: child.pid, command: specs.get(name)!.args[0] ?? specs.get(name)!.command }])),
    });
  // Last resort when the launcher exits without stop() (e.g. a second Ctrl-C during start-up).
  const killAllNow = () => {
    for (const child of running.values()) signalGroup(child.pid, 'SIGKILL');
    if (readStackState(stateDir)?.launcherPid === process.pid) removeStackState(stateDir);
  };
  process.on('exit', killAllNow);

  async function startProcess(name: ProcessName): Promise<void> {
    const spec = specs.get(name);
    if (!spec) throw new Error(`${name} is not part of this stack`);
    if (running.get(name)?.running) return;
    const child = await spawnChild({
      name,
      command: spec.command,
      args: spec.args,
      env: spec.env,
      cwd: REPO_ROOT,
      onLine: spec.onLine,
      logFile: spec.outputFile,
      // The services watch the launcher themselves; the others get a watchdog.
      exitWithParent: (SERVICE_NAMES as readonly string[]).includes(name) ? undefined : process.pid,
    });
    running.set(name, child);
    started.push(child.pid);
    saveState();
    void child.exited.then((exit) => {
      if (!intentional.has(child) && !startingUp.has(child)) say(`${spec.label} ${describeExit(exit)} unexpectedly${tail(child)}`);
    });
    if (!spec.readyUrl) return;
    const readyUrl = spec.readyUrl;
    startingUp.add(child);
    await waitUntil(() => answersOk(readyUrl), {
      timeoutMs: 30_000,
      describe: () => `${spec.label} did not answer ${readyUrl}${tail(child)}`,
      abort: () => {
        if (!child.running) throw new Error(`${spec.label} stopped while starting${tail(child)}`);
      },
    });
    startingUp.delete(child);
  }

  async function stopProcess(name: ProcessName): Promise<void> {
    const child = running.get(name);
    if (!child) return;
    intentional.add(child);
    const wasRunning = child.running;
    const exit = await child.stop();
    running.delete(name);
    saveState();
    if (wasRunning && !STOPPED_CODES.includes(exit.code) && name !== 'loadgen') say(`${processLabel(name)} ${describeExit(exit)} while stopping`);
  }

  async function waitForTargets(timeoutMs = options.targetsTimeoutMs ?? 60_000): Promise<PromTarget[]> {
    if (!urls.prometheus) return [];
    const base = urls.prometheus;
    const jobs = Object.keys(targets);
    let last: PromTarget[] = [];
    return waitUntil(
      async () => {
        last = await activeTargets(base);
        const ours = last.filter((t) => jobs.includes(t.job));
        return jobs.every((job) => ours.some((t) => t.job === job)) && ours.every((t) => t.health === 'up') ? last : undefined;
      },
      {
        timeoutMs,
        intervalMs: 500,
        describe: () =>
          `Prometheus targets not up: ${
            last
              .filter((t) => jobs.includes(t.job) && t.health !== 'up')
              .map((t) => `${t.job} (${t.health}${t.lastError ? `: ${t.lastError}` : ''})`)
              .join(', ') || 'none reported yet'
          }`,
      },
    );
  }

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await stopProcess('loadgen');
      await Promise.all(SERVICE_NAMES.map(stopProcess));
      await Promise.all(SERVICE_STOP_ORDER.filter((name) => running.has(name)).map(stopProcess));
      await receiver?.close();
      process.off('exit', killAllNow);
      if (readStackState(stateDir)?.launcherPid === process.pid) removeStackState(stateDir);
    })();
    return stopping;
  };

  try {
    if (runs('alertmanager')) receiver = await startReceiver(ports.receiver!, say);
    say(`Starting ${[...specs.values()].map((s) => s.label).join(', ')} …`);
    await Promise.all(SERVICE_NAMES.map(startProcess));
    await Promise.all((['nodeExporter', 'alertmanager', 'prometheus'] as const).filter((name) => specs.has(name)).map(startProcess));
    if (specs.has('loadgen')) await startProcess('loadgen');
    if (urls.prometheus) {
      say('Waiting for Prometheus to scrape every target …');
      await waitForTargets();
    }
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    urls,
    adminUrls,
    receiver,
    stateDir,
    skipped,
    stopService: stopProcess,
    startService: startProcess,
    logFile,
    spansFile,
    pids: () => [...started],
    waitForTargets,
    stop,
  };
}

/** Human name of a process, e.g. `node exporter`. */
export function processLabel(name: string): string {
  return name in COMPONENTS ? COMPONENTS[name as ComponentName].label : name;
}

/** The child's output that explains a failure: its error lines if it logged any, else its last lines. */
function tail(child: Child): string {
  const recent = child.recentOutput();
  const errors = recent.filter((line) => /level=(error|fatal)|"level":"(error|fatal)"|\berror\b/i.test(line)).slice(-8);
  const lines = errors.length > 0 ? errors : recent.slice(-15);
  return lines.length > 0 ? `; its ${errors.length > 0 ? 'errors' : 'last output'}:\n  ${lines.join('\n  ')}` : '';
}

function gitCommit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
  } catch {
    return undefined;
  }
}
