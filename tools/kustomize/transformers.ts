/**
 * The builtin kustomize transformers this repo uses: namespace, labels, replicas and images.
 * Each returns new resources and never modifies its input.
 */
import { isObject, KustomizeError } from './types.ts';
import type { ImageEntry, JsonObject, LabelEntry, ReplicaEntry, Resource } from './types.ts';
import { podSpec, podTemplate, resourceId, TEMPLATE_KINDS } from './select.ts';

/** Kinds that live outside any namespace. */
const CLUSTER_SCOPED: ReadonlySet<string> = new Set([
  'Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PersistentVolume', 'StorageClass',
  'PriorityClass', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'APIService', 'Node', 'IngressClass',
]);

/** True when objects of `kind` are namespaced. */
export function isNamespaced(kind: string): boolean {
  return !CLUSTER_SCOPED.has(kind);
}

/**
 * Sets metadata.namespace on every namespaced object. Subjects of (Cluster)RoleBindings are left
 * as written: kustomize's handling of them depends on its version and options, so an overlay sets
 * a subject's namespace explicitly (a patch) and renders the same under both.
 */
export function setNamespace(resources: readonly Resource[], namespace: string): Resource[] {
  return resources.map((original) => {
    const resource = structuredClone(original);
    if (isNamespaced(resource.kind)) resource.metadata.namespace = namespace;
    return resource;
  });
}

function addLabels(target: JsonObject, key: string, pairs: Record<string, string>): void {
  const existing = isObject(target[key]) ? target[key] : {};
  target[key] = { ...existing, ...pairs };
}

/**
 * Adds label pairs to metadata.labels; with includeTemplates also to pod templates; with
 * includeSelectors also to templates and to the selectors of Services and workloads.
 */
export function applyLabels(resources: readonly Resource[], entry: LabelEntry): Resource[] {
  return resources.map((original) => {
    const resource = structuredClone(original);
    addLabels(resource.metadata, 'labels', entry.pairs);
    const template = podTemplate(resource);
    if (template && (entry.includeTemplates || entry.includeSelectors)) {
      if (!isObject(template.metadata)) template.metadata = {};
      addLabels(template.metadata as JsonObject, 'labels', entry.pairs);
    }
    if (entry.includeSelectors && isObject(resource.spec)) {
      if (resource.kind === 'Service') addLabels(resource.spec, 'selector', entry.pairs);
      if (TEMPLATE_KINDS.has(resource.kind) || resource.kind === 'PodDisruptionBudget') {
        if (!isObject(resource.spec.selector)) resource.spec.selector = {};
        addLabels(resource.spec.selector as JsonObject, 'matchLabels', entry.pairs);
      }
    }
    return resource;
  });
}

const SCALABLE: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController']);

/** Sets spec.replicas of the named scalable workloads; an entry that matches nothing is an error. */
export function setReplicas(resources: readonly Resource[], entries: readonly ReplicaEntry[]): Resource[] {
  const out = resources.map((r) => structuredClone(r));
  for (const entry of entries) {
    const matched = out.filter((r) => SCALABLE.has(r.kind) && r.metadata.name === entry.name && isObject(r.spec));
    if (matched.length === 0) throw new KustomizeError(`replicas: no Deployment, StatefulSet or ReplicaSet named "${entry.name}"`);
    for (const r of matched) (r.spec as JsonObject).replicas = entry.count;
  }
  return out;
}

/** Splits an image reference into name, and tag or digest. */
export function parseImage(image: string): { name: string; tag?: string; digest?: string } {
  const at = image.indexOf('@');
  if (at !== -1) return { name: image.slice(0, at), digest: image.slice(at + 1) };
  const colon = image.lastIndexOf(':');
  if (colon > image.lastIndexOf('/')) return { name: image.slice(0, colon), tag: image.slice(colon + 1) };
  return { name: image };
}

function rewriteImage(image: string, entry: ImageEntry): string {
  const current = parseImage(image);
  const name = entry.newName ?? current.name;
  if (entry.digest) return `${name}@${entry.digest}`;
  const tag = entry.newTag ?? current.tag;
  if (tag) return `${name}:${tag}`;
  return current.digest ? `${name}@${current.digest}` : name;
}

/** Rewrites the image of every container and init container whose image name equals an entry's name. */
export function setImages(resources: readonly Resource[], entries: readonly ImageEntry[]): Resource[] {
  return resources.map((original) => {
    const resource = structuredClone(original);
    const spec = podSpec(resource);
    for (const field of ['containers', 'initContainers']) {
      const containers = spec?.[field];
      if (!Array.isArray(containers)) continue;
      for (const container of containers) {
        if (!isObject(container) || typeof container.image !== 'string') continue;
        const entry = entries.find((e) => e.name === parseImage(container.image as string).name);
        if (entry) container.image = rewriteImage(container.image, entry);
      }
    }
    return resource;
  });
}

/** Fails when two resources share apiVersion group, kind, namespace and name. */
export function assertUnique(resources: readonly Resource[]): void {
  const seen = new Set<string>();
  for (const resource of resources) {
    const id = resourceId(resource);
    if (seen.has(id)) throw new KustomizeError(`duplicate resource ${id}`);
    seen.add(id);
  }
}
