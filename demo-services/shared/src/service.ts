/**
 * Start-up shared by the three services: the middleware around their routes, the public and admin
 * listeners, and a clean shutdown on SIGTERM/SIGINT. Each service still makes its own one call to
 * `instrument()`; this module only receives the handle it returned.
 */
import type http from 'node:http';
import express from 'express';
import type { Express } from 'express';
import type { Telemetry } from '@periscope/instrument';
import { startAdminServer, portOf } from './admin.ts';
import { applyFaultsInRoutes } from './faults.ts';
import type { FaultState, Faults } from './faults.ts';
import { errorHandler, notFound } from './http-errors.ts';
import { ADMIN_PORT_ENV, LOOPBACK, SERVICE_PORTS, portFromEnv, publicHost } from './topology.ts';
import type { ServiceName } from './topology.ts';

/** Largest JSON body the services accept; larger bodies get a 413. */
export const BODY_LIMIT = '16kb';

/**
 * The JSON body parser, for the routes that take a body. It runs per route rather than app-wide
 * so that a malformed or oversized body is counted under the route it was sent to.
 */
export const jsonBody = express.json({ limit: BODY_LIMIT });

/** Installs what runs before a service's routes: the faults, applied inside each route declared after this call. */
export function beforeRoutes(app: Express, faults: Faults): void {
  applyFaultsInRoutes(app, faults);
}

/** Installs what runs after a service's routes: the JSON 404 and the 4xx error handler. */
export function afterRoutes(app: Express): void {
  app.use(notFound);
  app.use(errorHandler);
}

/** Options of {@link serve}. */
export interface ServeOptions {
  name: ServiceName;
  app: Express;
  telemetry: Telemetry;
  faults: Faults;
  /** Public port (bound to `HOST`, default 127.0.0.1); default from the service's env var (e.g. USERS_PORT), then its default port. */
  port?: number;
  /** Admin port on 127.0.0.1; default from ADMIN_PORT, then the service's default admin port. */
  adminPort?: number;
  /** Whether the service has a pool the slow-pool fault applies to. */
  hasPool?: boolean;
  /** Extra clean-up run on shutdown before telemetry is flushed (e.g. stopping workers). */
  onShutdown?: () => Promise<void> | void;
}

/** A running service. */
export interface RunningService {
  port: number;
  adminPort: number;
  /** Stops both listeners, runs the clean-up and flushes telemetry. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Listens on the public port (127.0.0.1) and the admin port, logs where, and stops cleanly on
 * SIGTERM or SIGINT (and when the launcher that started it is gone).
 */
export async function serve(options: ServeOptions): Promise<RunningService> {
  const { name, app, telemetry, faults } = options;
  const log = telemetry.logger;
  const defaults = SERVICE_PORTS[name];
  const host = publicHost();
  const server = await listen(app, options.port ?? portFromEnv(defaults.portEnv, defaults.port), host);
  const admin = await startAdminServer({
    port: options.adminPort ?? portFromEnv(ADMIN_PORT_ENV, defaults.adminPort),
    faults,
    check: (change: Partial<FaultState>) => {
      if (!options.hasPool && (change.slowPoolMs ?? 0) > 0) throw new Error(`${name} has no pool; the slow-pool fault applies to thoughts`);
    },
    onChange: (state, summary) => log.warn({ faults: state }, `faults changed: ${summary}`),
  });
  const port = portOf(server);
  const adminPort = portOf(admin);
  log.info({ port, admin_port: adminPort }, `${name} listening on http://${host}:${port} (admin on http://${LOOPBACK}:${adminPort})`);

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await Promise.all([closeServer(server), closeServer(admin)]);
      await options.onShutdown?.();
      await telemetry.shutdown();
    })();
    return closing;
  };
  const exitAfterClose = (reason: string) => {
    log.info(`${name} stopping (${reason})`);
    close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, `${name} did not stop cleanly`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => exitAfterClose('SIGTERM'));
  process.once('SIGINT', () => exitAfterClose('SIGINT'));
  watchParent(() => exitAfterClose('the launcher is gone'));
  return { port, adminPort, close };
}

async function listen(app: Express, port: number, host: string): Promise<http.Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once('listening', () => {
      server.off('error', reject);
      resolve(server);
    });
    server.once('error', reject);
  });
}

/** Stops accepting, closes idle keep-alive sockets now and busy ones after a grace period. */
async function closeServer(server: http.Server, graceMs = 3000): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), graceMs);
  timer.unref();
  await closed;
  clearTimeout(timer);
}

/** Env var naming the launcher's PID; a service exits when that process is gone, so none is left behind. */
export const PARENT_PID_ENV = 'PERISCOPE_DEMO_PARENT_PID';

function watchParent(onGone: () => void, env: NodeJS.ProcessEnv = process.env): void {
  const parent = Number(env[PARENT_PID_ENV]);
  if (!Number.isInteger(parent) || parent <= 0) return;
  const timer = setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') {
        clearInterval(timer);
        onGone();
      }
    }
  }, 2000);
  timer.unref();
}
