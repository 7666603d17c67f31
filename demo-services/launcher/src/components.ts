/**
 * Everything the demo launcher can start, with its default loopback port and the environment
 * variable that moves it.
 */
import { SERVICE_PORTS } from '../../shared/src/topology.ts';
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

/** Every component, in the order the URL table lists them. */
export const COMPONENTS: Readonly<Record<ComponentName, ComponentInfo>> = Object.freeze({
  frontend: { label: 'frontend', port: SERVICE_PORTS.frontend.port, env: SERVICE_PORTS.frontend.portEnv, job: 'frontend' },
  users: { label: 'users', port: SERVICE_PORTS.users.port, env: SERVICE_PORTS.users.portEnv, job: 'users' },
  thoughts: { label: 'thoughts', port: SERVICE_PORTS.thoughts.port, env: SERVICE_PORTS.thoughts.portEnv, job: 'thoughts' },
  prometheus: { label: 'Prometheus', port: 9090, env: 'PROMETHEUS_PORT', job: 'prometheus' },
  alertmanager: { label: 'Alertmanager', port: 9093, env: 'ALERTMANAGER_PORT', job: 'alertmanager' },
  nodeExporter: { label: 'node exporter', port: 9100, env: 'NODE_EXPORTER_PORT', job: 'node' },
  receiver: { label: 'alert receiver', port: 9099, env: 'RECEIVER_PORT' },
});

/** Component names in table order. */
export const COMPONENT_NAMES = Object.keys(COMPONENTS) as ComponentName[];
