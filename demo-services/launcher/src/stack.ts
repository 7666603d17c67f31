/**
 * The local demo stack in one call: the three services, loadgen, Prometheus, Alertmanager, the
 * node exporter and the alert receiver, on 127.0.0.1. Used by `npm run demo` and by tests.
 * This file is the orchestration (what runs, on which ports, in which order); supervision of each
 * process is in supervisor.ts, readiness through Prometheus in targets.ts.
 *
 *   const stack = await startStack({ ports: { frontend: 0, ... }, load: { rate: 20 } });
 *   … stack.urls.frontend, stack.receiver?.notifications() …
 *   stack.addTarget('billing', '127.0.0.1:7000');   // any other process, scraped as job="billing"
 *   await stack.stop();
 *
 * Prometheus finds the services by the local discovery convention (a target file per job in the
 * state dir's targets/, file-targets.ts), so a process the launcher did not start is scraped the
 * same way as the demo's own.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { RUNBOOK_BASE_LABEL } from '@periscope/stack';
import { LOOPBACK, SERVICE_NAMES, SERVICE_PORTS, portFromEnv } from '../../shared/src/topology.ts';
import type { ServiceName } from '../../shared/src/topology.ts';
import { ensureBinaries } from './binaries.ts';
import type { BinaryName } from './binaries.ts';
import { COMPONENTS } from './components.ts';
import type { ComponentName } from './components.ts';
import { DEFAULT_FOOTPRINT_MB, planFootprint } from './footprint.ts';
import { DEFAULT_STATE_DIR, REPO_ROOT, prepareStateDir, rotate } from './paths.ts';
import { removeTargetFile, writeTargetFile } from './file-targets.ts';
import { alertmanagerSpec, loadgenSpec, nodeExporterSpec, prometheusSpec, serviceSpec } from './process-specs.ts';
import type { ProcessName, ProcessSpec, SpecContext } from './process-specs.ts';
import type { PromTarget } from './prometheus-api.ts';
import { reservePorts } from './ports.ts';
import type { PortRequest } from './ports.ts';
import { startReceiver } from './receiver.ts';
import type { Receiver } from './receiver.ts';
import type { Stack, StackOptions } from './stack-types.ts';
import { reapLeftovers } from './state.ts';
import { createSupervisor, processLabel } from './supervisor.ts';
import { waitForTargetsUp } from './targets.ts';

export type { ProcessName } from './process-specs.ts';
export type { Stack, StackOptions } from './stack-types.ts';
export { processLabel } from './supervisor.ts';

/** The processes whose output the launcher writes to a file (each capped by the footprint). */
const LAUNCHER_OUTPUTS: readonly ProcessName[] = ['loadgen', 'prometheus', 'alertmanager', 'nodeExporter'];

/** What stop() ends after loadgen and the services. */
const MONITORING_STOP_ORDER: readonly ProcessName[] = ['prometheus', 'alertmanager', 'nodeExporter'];

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
  const footprint = planFootprint(options.maxDiskMb ?? DEFAULT_FOOTPRINT_MB, SERVICE_NAMES.length, LAUNCHER_OUTPUTS.length);
  const context: SpecContext = { ports, urls, binaries, dirs, env, say, logFile, spansFile, echoServiceLogs: options.echoServiceLogs ?? false, footprint };
  const specs = new Map<ProcessName, ProcessSpec>();
  const commit = gitCommit();
  for (const name of SERVICE_NAMES) {
    for (const file of [logFile(name), spansFile(name)]) rotate(file, footprint.serviceFile.maxFiles);
    specs.set(name, serviceSpec(context, name, commit));
  }
  if (options.load !== false) {
    rotate(logFile('loadgen'), footprint.processFile.maxFiles);
    specs.set('loadgen', loadgenSpec(context, options.load?.rate ?? 20));
  }
  // Services by their target files (the address that serves /metrics: the public port), the
  // stack's own components by static jobs.
  const targets: Record<string, string> = {};
  const waitedJobs = new Set<string>();
  for (const name of enabled) {
    const job = COMPONENTS[name].job;
    if (!job) continue;
    waitedJobs.add(job);
    if ((SERVICE_NAMES as readonly string[]).includes(name)) writeTargetFile(dirs.targets, job, `${LOOPBACK}:${ports[name]}`);
    else targets[job] = `${LOOPBACK}:${ports[name]}`;
  }
  if (runs('nodeExporter')) specs.set('nodeExporter', nodeExporterSpec(context));
  if (runs('alertmanager')) specs.set('alertmanager', alertmanagerSpec(context, options.alertmanagerTiming));
  if (runs('prometheus')) {
    const { spec, foreignJobs } = prometheusSpec(context, {
      targets,
      targetsDir: dirs.targets,
      // Runbook links of the alerts point at the runbooks the receiver serves.
      externalLabels: runs('alertmanager') ? { [RUNBOOK_BASE_LABEL]: `${urls.receiver}/runbooks/` } : undefined,
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
  const supervisor = createSupervisor({ specs, watchParent: SERVICE_NAMES, stateDir, urls: urls as Record<string, string>, adminUrls, say });

  const waitForTargets = (timeoutMs = options.targetsTimeoutMs ?? 60_000): Promise<PromTarget[]> =>
    urls.prometheus ? waitForTargetsUp(urls.prometheus, [...waitedJobs], timeoutMs) : Promise.resolve([]);

  // The target files this stack wrote, removed on stop so that no later Prometheus scrapes them.
  const written = new Set<string>(SERVICE_NAMES);
  const addTarget = (job: string, hostPort: string, labels?: Readonly<Record<string, string>>): string => {
    const file = writeTargetFile(dirs.targets, job, hostPort, labels);
    written.add(job);
    waitedJobs.add(job);
    return file;
  };
  const removeTarget = (job: string): void => {
    removeTargetFile(dirs.targets, job);
    written.delete(job);
    waitedJobs.delete(job);
  };

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await supervisor.stop('loadgen');
      await Promise.all(SERVICE_NAMES.map(supervisor.stop));
      await Promise.all(MONITORING_STOP_ORDER.filter(supervisor.isRunning).map(supervisor.stop));
      await receiver?.close();
      for (const job of written) removeTargetFile(dirs.targets, job);
      supervisor.close();
    })();
    return stopping;
  };

  try {
    if (runs('alertmanager')) receiver = await startReceiver(ports.receiver!, say);
    say(`Starting ${[...specs.values()].map((s) => s.label).join(', ')} …`);
    await Promise.all(SERVICE_NAMES.map(supervisor.start));
    await Promise.all((['nodeExporter', 'alertmanager', 'prometheus'] as const).filter((name) => specs.has(name)).map(supervisor.start));
    if (specs.has('loadgen')) await supervisor.start('loadgen');
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
    stopService: supervisor.stop,
    startService: supervisor.start,
    logFile,
    spansFile,
    pids: supervisor.pids,
    waitForTargets,
    targetsDir: dirs.targets,
    addTarget,
    removeTarget,
    stop,
  };
}

function gitCommit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
  } catch {
    return undefined;
  }
}
