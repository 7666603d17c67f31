/**
 * Selecting resources: kustomize's patch `target` (anchored regexes on group, version, kind, name,
 * namespace, and an equality-based label selector) and the pod templates inside workloads.
 */
import { isObject, KustomizeError } from './types.ts';
import type { JsonObject, Resource, Target } from './types.ts';

/** Splits apiVersion into API group ('' for the core group) and version. */
export function groupVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.lastIndexOf('/');
  return slash === -1 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

function anchored(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`);
}

/** True when `resource` is selected by `target`. */
export function matchesTarget(resource: Resource, target: Target): boolean {
  const { group, version } = groupVersion(resource.apiVersion);
  const fields: Array<[string | undefined, string]> = [
    [target.group, group],
    [target.version, version],
    [target.kind, resource.kind],
    [target.name, resource.metadata.name],
    [target.namespace, resource.metadata.namespace ?? ''],
  ];
  if (fields.some(([pattern, value]) => pattern !== undefined && !anchored(pattern).test(value))) return false;
  return target.labelSelector === undefined || matchesLabelSelector(resource.metadata.labels ?? {}, target.labelSelector);
}

/** Evaluates an equality-based selector (`a=b`, `a==b`, `a!=b`, comma-separated) against labels. */
export function matchesLabelSelector(labels: Record<string, string>, selector: string): boolean {
  return selector
    .split(',')
    .map((term) => term.trim())
    .filter((term) => term !== '')
    .every((term) => {
      const match = /^([^!=\s]+)\s*(!=|==|=)\s*(\S*)$/.exec(term);
      if (!match) throw new KustomizeError(`label selector term "${term}" is not supported (use key=value or key!=value)`);
      const [, key, operator, value] = match as unknown as [string, string, string, string];
      return operator === '!=' ? labels[key] !== value : labels[key] === value;
    });
}

/** Workload kinds whose pods come from `spec.template`. */
export const TEMPLATE_KINDS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'ReplicationController']);

/** The pod template (`{ metadata, spec }`) of a workload, or undefined for other kinds. */
export function podTemplate(resource: Resource): JsonObject | undefined {
  const spec = resource.spec;
  if (!isObject(spec)) return undefined;
  if (TEMPLATE_KINDS.has(resource.kind)) return isObject(spec.template) ? spec.template : undefined;
  if (resource.kind === 'CronJob') {
    const job = spec.jobTemplate;
    const jobSpec = isObject(job) ? job.spec : undefined;
    return isObject(jobSpec) && isObject(jobSpec.template) ? jobSpec.template : undefined;
  }
  return undefined;
}

/** The pod spec of a Pod or of a workload's template. */
export function podSpec(resource: Resource): JsonObject | undefined {
  if (resource.kind === 'Pod') return isObject(resource.spec) ? resource.spec : undefined;
  const template = podTemplate(resource);
  return template && isObject(template.spec) ? template.spec : undefined;
}

/** Human-readable id used in messages: `Kind/namespace/name`. */
export function resourceId(resource: Resource): string {
  const ns = resource.metadata.namespace;
  return ns ? `${resource.kind}/${ns}/${resource.metadata.name}` : `${resource.kind}/${resource.metadata.name}`;
}
