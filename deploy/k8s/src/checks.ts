/**
 * Checks that the rendered objects fit together — the mistakes a schema cannot see:
 * selectors that select nothing (a monitor included), ports and probes that name ports no container has, references
 * to ConfigMaps or ServiceAccounts that are not in the render.
 */
import { isObject, podSpec, podTemplate, resourceId } from './resources.ts';
import type { JsonObject, Resource } from './resources.ts';

type Labels = Record<string, string>;

/** A container as the checks read it. */
interface Container {
  name: string;
  ports?: Array<{ name?: string; containerPort: number }>;
  livenessProbe?: JsonObject;
  readinessProbe?: JsonObject;
  startupProbe?: JsonObject;
  envFrom?: Array<{ configMapRef?: { name: string } }>;
}

function labelsOf(value: unknown): Labels {
  return isObject(value) && isObject(value.labels) ? (value.labels as Labels) : {};
}

/** True when every pair of `selector` is in `labels` (an empty selector selects nothing here). */
export function selects(selector: Labels | undefined, labels: Labels): boolean {
  const pairs = Object.entries(selector ?? {});
  return pairs.length > 0 && pairs.every(([k, v]) => labels[k] === v);
}

function matchLabels(selector: unknown): Labels | undefined {
  if (!isObject(selector)) return undefined;
  if (selector.matchExpressions !== undefined) return undefined;
  return isObject(selector.matchLabels) ? (selector.matchLabels as Labels) : undefined;
}

function containersOf(resource: Resource): Container[] {
  const spec = podSpec(resource);
  return Array.isArray(spec?.containers) ? (spec.containers as unknown as Container[]) : [];
}

function sameNamespace(a: Resource, b: Resource): boolean {
  return (a.metadata.namespace ?? '') === (b.metadata.namespace ?? '');
}

/** Workloads (objects with a pod template) in the render. */
function workloads(resources: readonly Resource[]): Resource[] {
  return resources.filter((r) => podTemplate(r) !== undefined);
}

function workloadsSelectedBy(resources: readonly Resource[], owner: Resource, selector: Labels | undefined): Resource[] {
  return workloads(resources).filter((w) => sameNamespace(w, owner) && selects(selector, labelsOf(podTemplate(w)?.metadata)));
}

/** A port reference (name or number) resolved against a container's ports. */
function hasPort(containers: readonly Container[], port: unknown): boolean {
  return containers.some((c) => (c.ports ?? []).some((p) => (typeof port === 'string' ? p.name === port : p.containerPort === port)));
}

function checkWorkloadSelector(resource: Resource): string[] {
  const selector = matchLabels(isObject(resource.spec) ? resource.spec.selector : undefined);
  return selects(selector, labelsOf(podTemplate(resource)?.metadata)) ? [] : [`${resourceId(resource)}: spec.selector does not match its pod template's labels`];
}

function checkProbes(resource: Resource): string[] {
  const problems: string[] = [];
  for (const container of containersOf(resource)) {
    for (const kind of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
      const probe = container[kind];
      const target = probe && (isObject(probe.httpGet) ? probe.httpGet : isObject(probe.tcpSocket) ? probe.tcpSocket : undefined);
      if (target && !hasPort([container], target.port)) {
        problems.push(`${resourceId(resource)}: ${container.name} ${kind} uses port ${String(target.port)}, which the container does not declare`);
      }
    }
  }
  return problems;
}

function checkService(resources: readonly Resource[], service: Resource): string[] {
  const spec = isObject(service.spec) ? service.spec : {};
  const selected = workloadsSelectedBy(resources, service, spec.selector as Labels | undefined);
  if (selected.length === 0) return [`${resourceId(service)}: selector matches no pod template`];
  const ports = Array.isArray(spec.ports) ? (spec.ports as JsonObject[]) : [];
  return ports.flatMap((port) => {
    const target = port.targetPort ?? port.port;
    return selected
      .filter((w) => !hasPort(containersOf(w), target))
      .map((w) => `${resourceId(service)}: port ${String(port.name ?? port.port)} targets ${String(target)}, not a port of ${resourceId(w)}`);
  });
}

function checkServiceMonitor(resources: readonly Resource[], monitor: Resource): string[] {
  const spec = isObject(monitor.spec) ? monitor.spec : {};
  const selector = matchLabels(spec.selector);
  const services = resources.filter((r) => r.kind === 'Service' && sameNamespace(r, monitor) && selects(selector, r.metadata.labels ?? {}));
  if (services.length === 0) return [`${resourceId(monitor)}: selector matches no Service`];
  const endpoints = Array.isArray(spec.endpoints) ? (spec.endpoints as JsonObject[]) : [];
  return endpoints.flatMap((endpoint) =>
    services
      .filter((s) => !(isObject(s.spec) && Array.isArray(s.spec.ports) && s.spec.ports.some((p) => isObject(p) && p.name === endpoint.port)))
      .map((s) => `${resourceId(monitor)}: endpoint port ${String(endpoint.port)} is not a named port of ${resourceId(s)}`),
  );
}

/** The endpoints of a PodMonitor: the named container ports it scrapes. */
function podMonitorPorts(monitor: Resource): string[] {
  const spec = isObject(monitor.spec) ? monitor.spec : {};
  const endpoints = Array.isArray(spec.podMetricsEndpoints) ? (spec.podMetricsEndpoints as JsonObject[]) : [];
  return endpoints.map((endpoint) => String(endpoint.port));
}

/** Workloads whose pods carry the labels a PodMonitor selects (in its namespace; set-based selectors select nothing here). */
function podMonitorSelection(resources: readonly Resource[], monitor: Resource): Resource[] {
  const spec = isObject(monitor.spec) ? monitor.spec : {};
  return workloadsSelectedBy(resources, monitor, matchLabels(spec.selector));
}

/**
 * The workloads a PodMonitor scrapes: their pod template's labels match its selector and a
 * container declares the port of each of its endpoints.
 */
export function podMonitorTargets(resources: readonly Resource[], monitor: Resource): Resource[] {
  const ports = podMonitorPorts(monitor);
  return podMonitorSelection(resources, monitor).filter((w) => ports.length > 0 && ports.every((port) => hasPort(containersOf(w), port)));
}

function checkPodMonitor(resources: readonly Resource[], monitor: Resource): string[] {
  const selected = podMonitorSelection(resources, monitor);
  if (selected.length === 0) return [`${resourceId(monitor)}: selector matches no pod template`];
  return podMonitorPorts(monitor).flatMap((port) =>
    selected.filter((w) => !hasPort(containersOf(w), port)).map((w) => `${resourceId(monitor)}: endpoint port ${port} is not a named container port of ${resourceId(w)}`),
  );
}

function checkDisruptionBudget(resources: readonly Resource[], pdb: Resource): string[] {
  const selector = matchLabels(isObject(pdb.spec) ? pdb.spec.selector : undefined);
  return workloadsSelectedBy(resources, pdb, selector).length > 0 ? [] : [`${resourceId(pdb)}: selector matches no pod template`];
}

/** Anti-affinity and topology spread selectors must at least match the pods that carry them. */
function checkSpread(resource: Resource): string[] {
  const spec = podSpec(resource) ?? {};
  const own = labelsOf(podTemplate(resource)?.metadata);
  const affinity = isObject(spec.affinity) && isObject(spec.affinity.podAntiAffinity) ? spec.affinity.podAntiAffinity : {};
  const terms = [
    ...(Array.isArray(affinity.preferredDuringSchedulingIgnoredDuringExecution) ? affinity.preferredDuringSchedulingIgnoredDuringExecution : [])
      .map((t) => (isObject(t) ? t.podAffinityTerm : undefined)),
    ...(Array.isArray(affinity.requiredDuringSchedulingIgnoredDuringExecution) ? affinity.requiredDuringSchedulingIgnoredDuringExecution : []),
    ...(Array.isArray(spec.topologySpreadConstraints) ? spec.topologySpreadConstraints : []),
  ];
  return terms
    .filter((term) => !selects(matchLabels(isObject(term) ? term.labelSelector : undefined), own))
    .map(() => `${resourceId(resource)}: an anti-affinity or topology spread selector does not match its own pods`);
}

function checkReferences(resources: readonly Resource[], resource: Resource): string[] {
  const spec = podSpec(resource) ?? {};
  const has = (kind: string, name: string): boolean => resources.some((r) => r.kind === kind && r.metadata.name === name && sameNamespace(r, resource));
  const configMaps = [
    ...(Array.isArray(spec.volumes) ? spec.volumes : []).flatMap((v) => (isObject(v) && isObject(v.configMap) ? [String(v.configMap.name)] : [])),
    ...containersOf(resource).flatMap((c) => (c.envFrom ?? []).flatMap((e) => (e.configMapRef ? [e.configMapRef.name] : []))),
  ];
  const problems = configMaps.filter((name) => !has('ConfigMap', name)).map((name) => `${resourceId(resource)}: ConfigMap ${name} is not in the render`);
  const account = spec.serviceAccountName;
  if (typeof account === 'string' && account !== 'default' && !has('ServiceAccount', account)) {
    problems.push(`${resourceId(resource)}: ServiceAccount ${account} is not in the render`);
  }
  return problems;
}

function checkBinding(resources: readonly Resource[], binding: Resource): string[] {
  const subjects = Array.isArray(binding.subjects) ? binding.subjects : [];
  return subjects
    .filter((s) => isObject(s) && s.kind === 'ServiceAccount')
    .filter((s) => !resources.some((r) => r.kind === 'ServiceAccount' && r.metadata.name === (s as JsonObject).name && r.metadata.namespace === (s as JsonObject).namespace))
    .map((s) => `${resourceId(binding)}: subject ServiceAccount ${String((s as JsonObject).namespace)}/${String((s as JsonObject).name)} is not in the render`);
}

/** Every consistency problem of a render; empty when the objects fit together. */
export function consistencyProblems(resources: readonly Resource[]): string[] {
  return resources.flatMap((r) => {
    const problems: string[] = [];
    if (podTemplate(r)) problems.push(...checkWorkloadSelector(r), ...checkProbes(r), ...checkSpread(r), ...checkReferences(resources, r));
    if (r.kind === 'Service') problems.push(...checkService(resources, r));
    if (r.kind === 'ServiceMonitor') problems.push(...checkServiceMonitor(resources, r));
    if (r.kind === 'PodMonitor') problems.push(...checkPodMonitor(resources, r));
    if (r.kind === 'PodDisruptionBudget') problems.push(...checkDisruptionBudget(resources, r));
    if (r.kind === 'RoleBinding' || r.kind === 'ClusterRoleBinding') problems.push(...checkBinding(resources, r));
    return problems;
  });
}
