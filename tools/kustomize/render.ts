/**
 * A small kustomize: builds a kustomization directory into a list of Kubernetes objects.
 *
 * It covers exactly the kustomization fields the manifests in deploy/k8s use — `resources` (files
 * and directories), `namespace`, `labels`, `patches` (strategic merge or JSON 6902, from a file or
 * inline, with or without `target`), `replicas` and `images` — and rejects every other field with
 * an error, so a manifest can never silently depend on a feature it does not implement. Output is
 * in kustomize's legacy kind order, so Namespaces and RBAC come before the workloads that need them.
 */
import { readFileSync, statSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { isObject, KustomizeError } from './types.ts';
import type { Json, JsonObject, Kustomization, PatchEntry, Resource } from './types.ts';
import { strategicMerge } from './strategic-merge.ts';
import { applyJsonPatch } from './json-patch.ts';
import type { JsonPatchOperation } from './json-patch.ts';
import { matchesTarget, resourceId } from './select.ts';
import { applyLabels, assertUnique, setImages, setNamespace, setReplicas } from './transformers.ts';

/** Kustomization fields this renderer implements. */
export const SUPPORTED_FIELDS: readonly string[] = Object.freeze(['apiVersion', 'kind', 'resources', 'namespace', 'labels', 'patches', 'replicas', 'images']);

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** Parses every non-empty document of a YAML text; `source` names it in errors. */
export function parseDocuments(text: string, source: string): Json[] {
  const out: Json[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new KustomizeError(`${source}: ${doc.errors[0]?.message}`);
    const value = doc.toJS() as Json;
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
}

/** Reads the kustomization file of `dir`, checking it uses only supported fields. */
export function readKustomization(dir: string): Kustomization {
  const file = KUSTOMIZATION_FILES.map((name) => join(dir, name)).find((path) => existsSync(path));
  if (!file) throw new KustomizeError(`${dir}: no kustomization.yaml`);
  const [doc] = parseDocuments(readFileSync(file, 'utf8'), file);
  if (!isObject(doc)) throw new KustomizeError(`${file}: expected a mapping`);
  const unsupported = Object.keys(doc).filter((key) => !SUPPORTED_FIELDS.includes(key));
  if (unsupported.length > 0) {
    throw new KustomizeError(`${file}: field(s) ${unsupported.join(', ')} not supported by this renderer (supported: ${SUPPORTED_FIELDS.join(', ')})`);
  }
  return doc as unknown as Kustomization;
}

function asResource(value: Json, source: string): Resource {
  if (!isObject(value) || typeof value.apiVersion !== 'string' || typeof value.kind !== 'string'
    || !isObject(value.metadata) || typeof value.metadata.name !== 'string') {
    throw new KustomizeError(`${source}: every document needs apiVersion, kind and metadata.name`);
  }
  return value as Resource;
}

function loadResources(dir: string, entry: string): Resource[] {
  if (/^[a-z]+:\/\//i.test(entry)) throw new KustomizeError(`${dir}: remote resource ${entry} is not supported`);
  const path = resolve(dir, entry);
  if (!existsSync(path)) throw new KustomizeError(`${dir}: resource ${entry} does not exist`);
  if (statSync(path).isDirectory()) return build(path);
  return parseDocuments(readFileSync(path, 'utf8'), path).map((doc) => asResource(doc, path));
}

function patchDocuments(dir: string, entry: PatchEntry): Json[] {
  if ((entry.path === undefined) === (entry.patch === undefined)) {
    throw new KustomizeError(`${dir}: a patch needs exactly one of path and patch`);
  }
  const text = entry.path !== undefined ? readFileSync(resolve(dir, entry.path), 'utf8') : (entry.patch as string);
  return parseDocuments(text, entry.path ?? `${dir} (inline patch)`);
}

/** Applies one `patches` entry; a patch that selects no resource is an error. */
function applyPatch(resources: Resource[], dir: string, entry: PatchEntry): Resource[] {
  const docs = patchDocuments(dir, entry);
  let out = resources;
  for (const doc of docs) {
    const isJson6902 = Array.isArray(doc);
    if (isJson6902 && !entry.target) throw new KustomizeError(`${dir}: a JSON 6902 patch needs a target`);
    if (!isJson6902 && !isObject(doc)) throw new KustomizeError(`${dir}: a patch must be a mapping or a list of operations`);
    const selects = (r: Resource): boolean => {
      if (entry.target) return matchesTarget(r, entry.target);
      const own = asResource(doc, `${dir} (patch)`);
      return r.kind === own.kind && r.apiVersion === own.apiVersion && r.metadata.name === own.metadata.name;
    };
    if (!out.some(selects)) throw new KustomizeError(`${dir}: patch ${entry.path ?? JSON.stringify(entry.target)} matches no resource`);
    out = out.map((r) => {
      if (!selects(r)) return r;
      const patched = isJson6902 ? applyJsonPatch(r, doc as unknown as JsonPatchOperation[]) : strategicMerge(r, withoutIdentity(doc as JsonObject, !!entry.target));
      return asResource(patched, `${resourceId(r)} after patch`);
    });
  }
  return out;
}

/** With a target, the patch's own name must not rename what it selects (kustomize keeps the target's). */
function withoutIdentity(patch: JsonObject, hasTarget: boolean): JsonObject {
  if (!hasTarget || !isObject(patch.metadata)) return patch;
  const { name: _name, ...metadata } = patch.metadata;
  return { ...patch, metadata };
}

/** Builds the kustomization in `dir` (recursively through directory resources). */
export function build(dir: string): Resource[] {
  const k = readKustomization(dir);
  let resources = (k.resources ?? []).flatMap((entry) => loadResources(dir, entry));
  assertUnique(resources);
  for (const patch of k.patches ?? []) resources = applyPatch(resources, dir, patch);
  if (k.namespace) resources = setNamespace(resources, k.namespace);
  for (const entry of k.labels ?? []) resources = applyLabels(resources, entry);
  if (k.replicas) resources = setReplicas(resources, k.replicas);
  if (k.images) resources = setImages(resources, k.images);
  assertUnique(resources);
  return sortLegacy(resources);
}

const ORDER_FIRST = ['Namespace', 'ResourceQuota', 'StorageClass', 'CustomResourceDefinition', 'ServiceAccount', 'PodSecurityPolicy',
  'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'ConfigMap', 'Secret', 'Endpoints', 'Service', 'LimitRange',
  'PriorityClass', 'PersistentVolume', 'PersistentVolumeClaim', 'Deployment', 'StatefulSet', 'CronJob', 'PodDisruptionBudget'];
const ORDER_LAST = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

function rank(kind: string): number {
  const first = ORDER_FIRST.indexOf(kind);
  if (first !== -1) return first;
  const last = ORDER_LAST.indexOf(kind);
  return last === -1 ? ORDER_FIRST.length : ORDER_FIRST.length + 1 + last;
}

/** Kustomize's legacy order: by kind rank, then apiVersion, kind, namespace and name. */
export function sortLegacy(resources: readonly Resource[]): Resource[] {
  const key = (r: Resource): string => `${r.apiVersion}\u0000${r.kind}\u0000${r.metadata.namespace ?? ''}\u0000${r.metadata.name}`;
  return [...resources].sort((a, b) => rank(a.kind) - rank(b.kind) || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Serializes resources as one multi-document YAML stream, as `kustomize build` prints. */
export function toYaml(resources: readonly Resource[]): string {
  return resources.map((r) => stringify(r, { lineWidth: 0 })).join('---\n');
}
