/**
 * What Prometheus' Docker discovery (`docker_sd_configs`) would report for a set of containers, as
 * file-SD target groups: the engine returns only the running containers that match the config's
 * `filters`, and Prometheus makes one target per network and exposed port (one per network for a
 * container exposing none), with the `__meta_docker_*` labels (label names sanitised to
 * [a-zA-Z0-9_]). There is no container engine here, so this lets the real Prometheus run the
 * container config's relabel rules on the containers of deploy/compose.yaml.
 */

/** A file_sd_configs target group. */
export interface TargetGroup {
  targets: string[];
  labels: Record<string, string>;
}

/** A running container as the Docker API lists it. */
export interface Container {
  name: string;
  labels: Record<string, string>;
  /** Ports the container exposes (`expose`, `ports`, the image's EXPOSE). */
  ports: number[];
  /** Its address on the one network every container here shares. */
  ip: string;
}

/** One entry of a docker_sd_configs `filters` list (only the `label` filter is emulated). */
export interface DockerFilter {
  name: string;
  values: string[];
}

/** The network compose creates for project `periscope`. */
const NETWORK = { id: 'n1', name: 'periscope_default' };

const sanitize = (name: string): string => name.replace(/[^a-zA-Z0-9_]/g, '_');

/** Whether the engine would list `container` for `filters`: every filter must match one of its values. */
export function matchesFilters(container: Container, filters: readonly DockerFilter[]): boolean {
  return filters.every((filter) => {
    if (filter.name !== 'label') throw new Error(`docker-sd emulation: filter "${filter.name}" is not supported (only "label")`);
    return filter.values.some((value) => {
      const [key, expected] = value.split('=', 2) as [string, string | undefined];
      return key in container.labels && (expected === undefined || container.labels[key] === expected);
    });
  });
}

/** The target groups Docker discovery reports for the containers that pass `filters`. */
export function dockerTargetGroups(containers: readonly Container[], filters: readonly DockerFilter[]): TargetGroup[] {
  return containers
    .filter((container) => matchesFilters(container, filters))
    .flatMap((container) => {
      const base: Record<string, string> = {
        __meta_docker_container_id: `id-${container.name}`,
        __meta_docker_container_name: `/${container.name}`,
        __meta_docker_container_network_mode: NETWORK.name,
        __meta_docker_network_id: NETWORK.id,
        __meta_docker_network_name: NETWORK.name,
        __meta_docker_network_ip: container.ip,
        __meta_docker_network_internal: 'false',
        __meta_docker_network_ingress: 'false',
        __meta_docker_network_scope: 'local',
      };
      for (const [key, value] of Object.entries(container.labels)) base[`__meta_docker_container_label_${sanitize(key)}`] = value;
      // Without exposed ports Prometheus still makes one target, on the config's `port` (default 80).
      if (container.ports.length === 0) return [{ targets: [`${container.ip}:80`], labels: base }];
      return container.ports.map((port) => ({ targets: [`${container.ip}:${port}`], labels: { ...base, __meta_docker_port_private: String(port) } }));
    });
}
