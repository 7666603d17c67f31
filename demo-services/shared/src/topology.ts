/**
 * Where the demo's services listen by default, and the environment variables that move them.
 * The services read their own entries; the launcher and the fault CLI read all of them.
 */

/** The three application services of the Thoughts app. */
export type ServiceName = 'frontend' | 'users' | 'thoughts';

/** Every application service, in start order (backends first). */
export const SERVICE_NAMES: readonly ServiceName[] = Object.freeze(['users', 'thoughts', 'frontend']);

/** Default ports and their environment variables for one service. */
export interface ServicePorts {
  port: number;
  portEnv: string;
  adminPort: number;
  adminPortEnv: string;
}

/** Public and admin (127.0.0.1 only) ports of each service. */
export const SERVICE_PORTS: Readonly<Record<ServiceName, ServicePorts>> = Object.freeze({
  frontend: { port: 8080, portEnv: 'FRONTEND_PORT', adminPort: 8180, adminPortEnv: 'FRONTEND_ADMIN_PORT' },
  users: { port: 8081, portEnv: 'USERS_PORT', adminPort: 8181, adminPortEnv: 'USERS_ADMIN_PORT' },
  thoughts: { port: 8082, portEnv: 'THOUGHTS_PORT', adminPort: 8182, adminPortEnv: 'THOUGHTS_ADMIN_PORT' },
});

/** The variable a service process reads for its admin port (the launcher sets it per service). */
export const ADMIN_PORT_ENV = 'ADMIN_PORT';

/** Backend base URLs the callers read. */
export const BACKEND_URL_ENV = Object.freeze({ users: 'USERS_URL', thoughts: 'THOUGHTS_URL' } as const);

/** Loopback address every demo process binds to by default (admin listeners always). */
export const LOOPBACK = '127.0.0.1';

/** Variable naming the address a service's public listener binds to (e.g. 0.0.0.0 in a container). */
export const HOST_ENV = 'HOST';

/** The public listener's address: `HOST`, else 127.0.0.1. */
export function publicHost(env: NodeJS.ProcessEnv = process.env): string {
  return env[HOST_ENV]?.trim() || LOOPBACK;
}

/**
 * Reads a TCP port from `env[name]`, falling back to `fallback` when unset or empty.
 * Throws an `Error` naming the variable when the value is not a port (0 means "any free port").
 */
export function portFromEnv(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`${name}="${raw}" is not a TCP port: expected an integer from 0 to 65535`);
  }
  return port;
}

/** Reads a base URL from `env[name]` (trailing slash removed), falling back to `fallback`. */
export function urlFromEnv(name: string, fallback: string, env: NodeJS.ProcessEnv = process.env): string {
  return parseBaseUrl(env[name]?.trim() || fallback, name);
}

/** Parses a base URL (trailing slash removed); the error names `label` (a variable or a flag). */
export function parseBaseUrl(raw: string, label: string): string {
  try {
    return new URL(raw).toString().replace(/\/$/, '');
  } catch {
    throw new Error(`${label}="${raw}" is not a URL: expected e.g. http://127.0.0.1:8081`);
  }
}

/** The default base URL of a service on the loopback interface. */
export function defaultServiceUrl(name: ServiceName): string {
  return `http://${LOOPBACK}:${SERVICE_PORTS[name].port}`;
}
