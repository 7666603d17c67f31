/**
 * `@periscope-demo/shared`: what the rest of the repository may use of the demo's shared code —
 * its topology (services, ports, calls, objectives), the demo accounts, the variable that ties
 * a service to the launcher that started it, and how a typed duration is read. Nothing outside
 * demo-services/ imports a file of src/.
 */
export {
  SERVICES,
  SERVICE_NAMES,
  SERVICE_PORTS,
  BACKEND_URL_ENV,
  ADMIN_PORT_ENV,
  LOOPBACK,
  HOST_ENV,
  publicHost,
  portFromEnv,
  urlFromEnv,
  parseBaseUrl,
  defaultServiceUrl,
} from './topology.ts';
export type { ServiceName, BackendName, ServiceEntry, ServicePorts } from './topology.ts';
export { DEMO_ACCOUNTS } from './demo-accounts.ts';
export type { DemoAccount } from './demo-accounts.ts';
export { PARENT_PID_ENV } from './service.ts';
export { FAULTS_PATH } from './admin.ts';
export type { FaultState } from './faults.ts';
export { parseDurationMs } from './duration.ts';
