/**
 * How each process of the stack is started: program, arguments, environment, where its output
 * goes and the URL that answers once it is ready. Prometheus and Alertmanager get their derived
 * configs written under the state dir here.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { ENV, HEALTH_PATH } from '@periscope/instrument/contract';
import { PARENT_PID_ENV } from '../../shared/src/service.ts';
import { ADMIN_PORT_ENV, BACKEND_URL_ENV, HOST_ENV, LOOPBACK, SERVICES, SERVICE_PORTS } from '../../shared/src/topology.ts';
import type { ServiceName } from '../../shared/src/topology.ts';
import { deriveAlertmanagerConfig } from './alertmanager-config.ts';
import type { AlertmanagerTiming } from './alertmanager-config.ts';
import type { BinaryName } from './binaries.ts';
import { COMPONENTS } from './components.ts';
import type { ComponentName } from './components.ts';
import { retentionSizeFlag, rotationEnv } from './footprint.ts';
import type { FileCap, Footprint } from './footprint.ts';
import { ALERTMANAGER_SOURCE, PROMETHEUS_SOURCE, entryPoint } from './paths.ts';
import type { stateLayout } from './paths.ts';
import { derivePrometheusConfig } from './prometheus-config.ts';
import type { PrometheusConfigInput } from './prometheus-config.ts';

/** Processes the stack starts (the receiver runs inside the launcher). */
export type ProcessName = ServiceName | 'loadgen' | 'prometheus' | 'alertmanager' | 'nodeExporter';

/** How to start one process. */
export interface ProcessSpec {
  label: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** File the launcher writes the output to (services write their own log file). */
  outputFile?: string;
  /** Size cap and rotation of `outputFile`. */
  outputCap?: FileCap;
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** URL answering 2xx once the process is ready. */
  readyUrl?: string;
}

/** What the specs are built from. */
export interface SpecContext {
  /** Port per component name, and per `<service>Admin`. */
  ports: Readonly<Record<string, number>>;
  urls: Readonly<Partial<Record<ComponentName, string>>>;
  binaries: Readonly<Partial<Record<BinaryName, string>>>;
  dirs: ReturnType<typeof stateLayout>;
  env: NodeJS.ProcessEnv;
  say: (line: string) => void;
  logFile: (name: ProcessName) => string;
  spansFile: (name: ServiceName) => string;
  echoServiceLogs: boolean;
  /** The disk budget: the services' file rotation, the output caps, Prometheus' retention size. */
  footprint: Footprint;
}

/** A demo service: Node on its `main.ts`, ports, backend URLs and the package's file outputs by env. */
export function serviceSpec(ctx: SpecContext, name: ServiceName, commit: string | undefined): ProcessSpec {
  return {
    label: name,
    command: process.execPath,
    args: [entryPoint(name)],
    env: {
      ...ctx.env,
      [HOST_ENV]: LOOPBACK, // everything local; a HOST the shell may export must not move it
      [SERVICE_PORTS[name].portEnv]: String(ctx.ports[name]),
      [ADMIN_PORT_ENV]: String(ctx.ports[`${name}Admin`]),
      ...Object.fromEntries(SERVICES[name].calls.map((backend) => [BACKEND_URL_ENV[backend], ctx.urls[backend]])),
      [ENV.logFile]: ctx.logFile(name),
      [ENV.spansFile]: ctx.spansFile(name),
      ...rotationEnv(ctx.footprint.serviceFile),
      ...(commit ? { [ENV.commit]: commit } : {}),
      [PARENT_PID_ENV]: String(process.pid),
    },
    onLine: (line, stream) => {
      if (stream === 'stderr' || ctx.echoServiceLogs) ctx.say(`[${name}] ${line}`);
    },
    readyUrl: `${ctx.urls[name]}${HEALTH_PATH.liveness}`,
  };
}

/** loadgen against the frontend; its progress lines are shown. */
export function loadgenSpec(ctx: SpecContext, rate: number): ProcessSpec {
  return {
    label: 'loadgen',
    command: process.execPath,
    args: [entryPoint('loadgen'), '--rate', String(rate), '--target', ctx.urls.frontend!],
    outputFile: ctx.logFile('loadgen'),
    outputCap: ctx.footprint.processFile,
    onLine: (line) => ctx.say(line),
  };
}

export function nodeExporterSpec(ctx: SpecContext): ProcessSpec {
  return {
    label: COMPONENTS.nodeExporter.label,
    command: ctx.binaries.nodeExporter!,
    args: [`--web.listen-address=${LOOPBACK}:${ctx.ports.nodeExporter}`],
    outputFile: ctx.logFile('nodeExporter'),
    outputCap: ctx.footprint.processFile,
    readyUrl: `${ctx.urls.nodeExporter}/metrics`,
  };
}

/** Alertmanager with deploy/alertmanager/alertmanager.yml pointed at the receiver; no cluster port. */
export function alertmanagerSpec(ctx: SpecContext, timing: AlertmanagerTiming | undefined): ProcessSpec {
  const configFile = path.join(ctx.dirs.config, 'alertmanager.yml');
  const sourceText = existsSync(ALERTMANAGER_SOURCE) ? readFileSync(ALERTMANAGER_SOURCE, 'utf8') : undefined;
  writeFileSync(configFile, stringify(deriveAlertmanagerConfig({ sourceText, receiverUrl: ctx.urls.receiver!, timing })));
  return {
    label: COMPONENTS.alertmanager.label,
    command: ctx.binaries.alertmanager!,
    args: [
      `--config.file=${configFile}`,
      `--storage.path=${ctx.dirs.alertmanagerData}`,
      `--web.listen-address=${LOOPBACK}:${ctx.ports.alertmanager}`,
      `--web.external-url=${ctx.urls.alertmanager}`,
      '--cluster.listen-address=', // no gossip port: a single local instance
    ],
    outputFile: ctx.logFile('alertmanager'),
    outputCap: ctx.footprint.processFile,
    readyUrl: `${ctx.urls.alertmanager}/-/ready`,
  };
}

/** Prometheus with the derived deploy/prometheus/prometheus.local.yml and exemplar storage. */
export function prometheusSpec(
  ctx: SpecContext,
  input: Omit<PrometheusConfigInput, 'sourceText' | 'sourceDir'>,
): { spec: ProcessSpec; foreignJobs: string[] } {
  const configFile = path.join(ctx.dirs.config, 'prometheus.yml');
  const sourceText = existsSync(PROMETHEUS_SOURCE) ? readFileSync(PROMETHEUS_SOURCE, 'utf8') : undefined;
  const { config, foreignJobs } = derivePrometheusConfig({ ...input, sourceText, sourceDir: path.dirname(PROMETHEUS_SOURCE) });
  writeFileSync(configFile, stringify(config));
  const spec: ProcessSpec = {
    label: COMPONENTS.prometheus.label,
    command: ctx.binaries.prometheus!,
    args: [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${ctx.dirs.prometheusData}`,
      '--storage.tsdb.retention.time=7d',
      retentionSizeFlag(ctx.footprint.prometheusBytes),
      `--web.listen-address=${LOOPBACK}:${ctx.ports.prometheus}`,
      `--web.external-url=${ctx.urls.prometheus}`,
      '--enable-feature=exemplar-storage',
    ],
    outputFile: ctx.logFile('prometheus'),
    outputCap: ctx.footprint.processFile,
    readyUrl: `${ctx.urls.prometheus}/-/ready`,
  };
  return { spec, foreignJobs };
}
