/**
 * Everything the demo launcher can start, with its default loopback port and the environment
 * variable that moves it.
 */
import { SERVICE_NAMES, SERVICE_PORTS } from '../../shared/src/topology.ts';
import type { ServiceName } from '../../shared/src/topology.ts';

/** A component of the local stack. */
export type ComponentName = ServiceName | 'prometheus' | 'alertmanager' | 'nodeExporter' | 'receiver';

/** How a component is shown and configured. */
export interface ComponentInfo {
  /** Human name in the URL table and in errors. */
  label: string;
  /** Default port on 127.0.0.1. */
  port: number;
  /** Variable that changes the port. */
  env: string;
  /** Prometheus job that scrapes it (the receiver is not scraped). */
  job?: string;
}

/** A service's component: its name is its label and its Prometheus job. */
const serviceComponent = (name: ServiceName): ComponentInfo => ({ label: name, port: SERVICE_PORTS[name].port, env: SERVICE_PORTS[name].portEnv, job: name });

/** Every component, in the order the URL table lists them: the services (callers first), then the rest. */
export const COMPONENTS: Readonly<Record<ComponentName, ComponentInfo>> = Object.freeze({
  ...(Object.fromEntries([...SERVICE_NAMES].reverse().map((name) => [name, serviceComponent(name)])) as Record<ServiceName, ComponentInfo>),
  prometheus: { label: 'Prometheus', port: 9090, env: 'PROMETHEUS_PORT', job: 'prometheus' },
  alertmanager: { label: 'Alertmanager', port: 9093, env: 'ALERTMANAGER_PORT', job: 'alertmanager' },
  nodeExporter: { label: 'node exporter', port: 9100, env: 'NODE_EXPORTER_PORT', job: 'node' },
  receiver: { label: 'alert receiver', port: 9099, env: 'RECEIVER_PORT' },
});

/** Component names in table order. */
export const COMPONENT_NAMES = Object.keys(COMPONENTS) as ComponentName[];
