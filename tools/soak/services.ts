/**
 * The services under soak: the demo's users, thoughts and frontend, and the soak's own app, each a
 * Node process on free loopback ports with the package's real outputs switched on by environment
 * (stdout piped to a {@link LogReader}, a capped log file, syslog to rsyslog, spans over OTLP).
 * A service can be killed with SIGKILL and started again on the same ports.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENV, HEALTH_PATH } from '@periscope/instrument/contract';
import { ADMIN_PORT_ENV, BACKEND_URL_ENV, HOST_ENV, PARENT_PID_ENV, SERVICES, SERVICE_NAMES } from '@periscope-demo/shared';
import type { ServiceName } from '@periscope-demo/shared';
import { entryPoint } from '@periscope-demo/launcher';
import { LOOPBACK, freePort, stopProcess } from '../testing/process.ts';
import { waitFor } from '../testing/wait.ts';
import { readLogs } from './log-reader.ts';
import type { LogReader, LogTally, SlowReading } from './log-reader.ts';
import { SOAK_APP } from './app/names.ts';

/** Every service the soak runs: the demo's, then its own app. */
export type SoakService = ServiceName | typeof SOAK_APP;
export const SOAK_SERVICES: readonly SoakService[] = [...SERVICE_NAMES, SOAK_APP];

/** Size cap of each service's log file, and rotated files kept (so `.periscope/soak/` stays bounded). */
export const LOG_FILE_CAP = { maxBytes: 4 * 1024 * 1024, maxFiles: 2 } as const;

/** Where the shared outputs are. */
export interface OutputTargets {
  syslogUrl: string;
  otlpUrl: string;
  logDir: string;
}

/** One running (or killed) instance of a service. */
export interface Instance {
  readonly service: SoakService;
  /** `service.instance.id` of its spans: `<service>-<n>`. */
  readonly id: string;
  readonly pid: number;
  readonly child: ChildProcess;
  readonly reader: LogReader;
  killed: boolean;
}

/** The running services. */
export interface ServiceSet {
  readonly urls: Readonly<Record<SoakService, string>>;
  /** Every instance started so far, killed ones included, in start order. */
  readonly instances: readonly Instance[];
  /** The live instance of `service`. */
  current(service: SoakService): Instance;
  /** SIGKILLs the live instance of `service`. */
  kill(service: SoakService): Promise<void>;
  /** Starts `service` again on its ports and waits until it answers. */
  restart(service: SoakService): Promise<void>;
  /** Makes every reader slow (or full speed again). */
  setSlow(slow: SlowReading | undefined): void;
  /** Stops every live service (SIGTERM) and waits for their output to be read. */
  stop(): Promise<void>;
}

const SOAK_APP_ENTRY = fileURLToPath(new URL('./app/main.ts', import.meta.url));

/** Starts the four services (backends first) and waits until each answers `/healthz`. */
export async function startServices(targets: OutputTargets, tally: LogTally, onStderr: (service: SoakService, line: string) => void): Promise<ServiceSet> {
  const ports: Record<string, number> = {};
  for (const service of SOAK_SERVICES) {
    ports[service] = await freePort();
    ports[`${service}Admin`] = await freePort();
  }
  const urls = Object.fromEntries(SOAK_SERVICES.map((s) => [s, `http://${LOOPBACK}:${ports[s]}`])) as Record<SoakService, string>;
  const instances: Instance[] = [];
  const starts: Record<string, number> = {};
  let slow: SlowReading | undefined;

  const envOf = (service: SoakService, id: string): NodeJS.ProcessEnv => {
    const demo = service === SOAK_APP ? undefined : SERVICES[service];
    const { [ENV.spansFile]: _spans, [ENV.logFile]: _log, ...inherited } = process.env;
    return {
      ...inherited,
      [HOST_ENV]: LOOPBACK,
      ...(demo ? { [demo.portEnv]: String(ports[service]), [ADMIN_PORT_ENV]: String(ports[`${service}Admin`]) } : { SOAK_APP_PORT: String(ports[service]) }),
      ...Object.fromEntries((demo?.calls ?? []).map((b: keyof typeof BACKEND_URL_ENV) => [BACKEND_URL_ENV[b], urls[b]])),
      [ENV.logFile]: path.join(targets.logDir, `${service}.log`),
      [ENV.fileMaxBytes]: String(LOG_FILE_CAP.maxBytes),
      [ENV.fileMaxFiles]: String(LOG_FILE_CAP.maxFiles),
      [ENV.syslogUrl]: targets.syslogUrl,
      OTEL_EXPORTER_OTLP_ENDPOINT: targets.otlpUrl,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_RESOURCE_ATTRIBUTES: `service.instance.id=${id}`,
      [PARENT_PID_ENV]: String(process.pid),
    };
  };

  const launch = async (service: SoakService): Promise<void> => {
    starts[service] = (starts[service] ?? 0) + 1;
    const id = `${service}-${starts[service]}`;
    const entry = service === SOAK_APP ? SOAK_APP_ENTRY : entryPoint(service);
    const child = spawn(process.execPath, [entry], { env: envOf(service, id), stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid === undefined) throw new Error(`${service} did not start`);
    const reader = readLogs(child.stdout!, child.pid, tally);
    if (slow) reader.setSlow(slow);
    let rest = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) if (line !== '') onStderr(service, line);
    });
    instances.push({ service, id, pid: child.pid, child, reader, killed: false });
    await waitFor(`${service} to answer ${HEALTH_PATH.liveness}`, async () => {
      if (child.exitCode !== null) throw new Error(`${service} exited with ${child.exitCode}`);
      return (await fetch(`${urls[service]}${HEALTH_PATH.liveness}`)).ok;
    }, 30_000);
  };

  const current = (service: SoakService): Instance => {
    const live = instances.filter((i) => i.service === service && !i.killed);
    const last = live[live.length - 1];
    if (!last) throw new Error(`no live instance of ${service}`);
    return last;
  };

  for (const service of SOAK_SERVICES) await launch(service);
  return {
    urls,
    instances,
    current,
    async kill(service) {
      const instance = current(service);
      instance.killed = true;
      const exited = new Promise<void>((resolve) => instance.child.once('exit', () => resolve()));
      instance.child.kill('SIGKILL');
      await exited;
    },
    restart: (service) => launch(service),
    setSlow(next) {
      slow = next;
      for (const i of instances) if (!i.killed) i.reader.setSlow(next);
    },
    async stop() {
      for (const i of instances) i.reader.setSlow(undefined);
      // Callers first, so no backend stops under a request in flight.
      for (const service of [...SOAK_SERVICES].reverse()) {
        for (const i of instances.filter((x) => x.service === service && !x.killed)) await stopProcess(i.child, 10_000);
      }
      await Promise.all(instances.map((i) => i.reader.ended));
    },
  };
}
