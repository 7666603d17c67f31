/** The shapes of the local demo stack: what `startStack` (stack.ts) accepts and what it returns. */
import type { ServiceName } from '../../shared/src/topology.ts';
import type { AlertmanagerTiming } from './alertmanager-config.ts';
import type { ComponentName } from './components.ts';
import type { ProcessName } from './process-specs.ts';
import type { PromTarget } from './prometheus-api.ts';
import type { PrometheusGlobal } from './prometheus-config.ts';
import type { Receiver } from './receiver.ts';

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
  /** Disk budget of the state dir in MiB (see footprint.ts; at least 20). Default 200. */
  maxDiskMb?: number;
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
  /**
   * Waits until every target of the processes the stack runs, and of each job added with
   * {@link Stack.addTarget}, is up; resolves to all targets.
   */
  waitForTargets(timeoutMs?: number): Promise<PromTarget[]>;
  /**
   * The folder Prometheus reads its service targets from (`<stateDir>/targets`): one `<job>.json`
   * of file_sd target groups per job, re-read every 5 s. Any process can write one there.
   */
  readonly targetsDir: string;
  /**
   * Has Prometheus scrape `hostPort` (e.g. `127.0.0.1:7000`, the address that serves /metrics) as
   * `job`, with optional target labels such as `team`, by writing `<targetsDir>/<job>.json`
   * (replacing an earlier one of the same job). Returns the file's path; {@link Stack.stop} deletes
   * it. Throws an `Error` naming the value when the job, target or a label name is not usable.
   */
  addTarget(job: string, hostPort: string, labels?: Readonly<Record<string, string>>): string;
  /** Deletes `job`'s target file (a service's too): Prometheus stops scraping it within 5 s. */
  removeTarget(job: string): void;
  /** Stops everything, in order, and removes the state file. Safe to call twice. */
  stop(): Promise<void>;
}
