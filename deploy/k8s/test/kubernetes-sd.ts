/**
 * What Prometheus' Kubernetes pod discovery would report for the rendered workloads, as file-SD
 * target groups: one target per declared container port (one per container without ports), with
 * the `__meta_kubernetes_pod_*` labels that `role: pod` sets (label and annotation names sanitised
 * to [a-zA-Z0-9_]). This lets
 * the real Prometheus run real relabel rules (prometheus/prometheus.yml, and Alloy's pod target
 * rules, which follow the same semantics) without a cluster.
 */
import { isObject, podSpec, podTemplate } from '../src/resources.ts';
import type { Resource } from '../src/resources.ts';

/** A file_sd_configs target group. */
export interface TargetGroup {
  targets: string[];
  labels: Record<string, string>;
}

function sanitize(name: string): string {
  return name.replace(/[^a-zA-Z0-9_]/g, '_');
}

function prefixed(prefix: string, values: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    out[`${prefix}_${sanitize(key)}`] = value;
    out[`${prefix}present_${sanitize(key)}`] = 'true';
  }
  return out;
}

/** One running pod per workload, pod IPs 10.0.0.1, 10.0.0.2, ... in render order. */
export function podTargetGroups(resources: readonly Resource[]): TargetGroup[] {
  const groups: TargetGroup[] = [];
  resources.filter((r) => podTemplate(r)).forEach((workload, index) => {
    const metadata = podTemplate(workload)?.metadata;
    const labels = isObject(metadata) && isObject(metadata.labels) ? (metadata.labels as Record<string, string>) : {};
    const annotations = isObject(metadata) && isObject(metadata.annotations) ? (metadata.annotations as Record<string, string>) : {};
    const ip = `10.0.0.${index + 1}`;
    const pod = {
      __meta_kubernetes_namespace: workload.metadata.namespace ?? 'default',
      __meta_kubernetes_pod_name: `${workload.metadata.name}-0`,
      __meta_kubernetes_pod_ip: ip,
      __meta_kubernetes_pod_phase: 'Running',
      __meta_kubernetes_pod_ready: 'true',
      ...prefixed('__meta_kubernetes_pod_label', labels),
      ...prefixed('__meta_kubernetes_pod_annotation', annotations),
    };
    const containers = podSpec(workload)?.containers;
    for (const container of Array.isArray(containers) ? containers : []) {
      if (!isObject(container)) continue;
      const base = { ...pod, __meta_kubernetes_pod_container_name: String(container.name) };
      const ports = Array.isArray(container.ports) ? container.ports.filter(isObject) : [];
      // A container without ports is still one target, addressed by the pod IP alone.
      if (ports.length === 0) groups.push({ targets: [ip], labels: base });
      for (const port of ports) {
        groups.push({
          targets: [`${ip}:${String(port.containerPort)}`],
          labels: {
            ...base,
            __meta_kubernetes_pod_container_port_name: typeof port.name === 'string' ? port.name : '',
            __meta_kubernetes_pod_container_port_number: String(port.containerPort),
            __meta_kubernetes_pod_container_port_protocol: typeof port.protocol === 'string' ? port.protocol : 'TCP',
          },
        });
      }
    }
  });
  return groups;
}
