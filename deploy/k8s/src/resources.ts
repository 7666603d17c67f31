/**
 * Kubernetes objects as plain JSON values, and the few questions the generators and checks ask
 * of them: which pod template and pod spec a workload carries, whether a kind is namespaced, how
 * an object is named in a message. No rendering here: the manifests are rendered by the real
 * kustomize (render.ts).
 */
import { parseAllDocuments } from 'yaml';

/** A JSON value as YAML documents decode to. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** A JSON object (a YAML mapping). */
export type JsonObject = { [key: string]: Json };

/** One Kubernetes object as read from a manifest. */
export interface Resource extends JsonObject {
  apiVersion: string;
  kind: string;
  metadata: JsonObject & { name: string; namespace?: string; labels?: Record<string, string> };
}

/** True for a non-null, non-array object. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses every non-empty document of a YAML stream; `source` names it in errors. */
export function parseDocuments(text: string, source: string): Json[] {
  const out: Json[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new SyntaxError(`${source}: ${doc.errors[0]?.message}`);
    const value = doc.toJS() as Json;
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
}

/** Splits apiVersion into API group ('' for the core group) and version. */
export function groupVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.lastIndexOf('/');
  return slash === -1 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** Kinds that live outside any namespace (of those a manifest here may hold). */
const CLUSTER_SCOPED: ReadonlySet<string> = new Set([
  'Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PersistentVolume', 'StorageClass',
  'PriorityClass', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'APIService', 'Node', 'IngressClass',
]);

/** True for a kind whose objects belong to a namespace. */
export function isNamespaced(kind: string): boolean {
  return !CLUSTER_SCOPED.has(kind);
}

/** Workload kinds whose pods come from `spec.template`. */
const TEMPLATE_KINDS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'ReplicationController']);

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
