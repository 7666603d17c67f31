/**
 * Strategic merge patch, the subset kustomize applies to the objects in this repo.
 *
 * Mappings merge recursively and a `null` value deletes the key. A list merges item by item when
 * its field has a merge key in Kubernetes' API (containers by `name`, container ports by
 * `containerPort`, ...); every other list is replaced whole, as Kubernetes does for lists without
 * a merge key. Patch directives (`$patch`, `$setElementOrder`, `$retainKeys`,
 * `$deleteFromPrimitiveList`) are not supported and raise an error rather than being ignored.
 */
import { isObject, KustomizeError } from './types.ts';
import type { Json, JsonObject } from './types.ts';

/**
 * Merge keys of the list fields, by field name, as the Kubernetes API declares them
 * (`patchMergeKey`). `ports` is keyed by `containerPort` in a container and by `port` in a Service.
 */
const MERGE_KEYS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  containers: ['name'],
  initContainers: ['name'],
  ephemeralContainers: ['name'],
  env: ['name'],
  volumes: ['name'],
  volumeMounts: ['mountPath'],
  imagePullSecrets: ['name'],
  ports: ['containerPort', 'port'],
  topologySpreadConstraints: ['topologyKey'],
});

/** Returns `base` with `patch` applied; neither argument is modified. */
export function strategicMerge(base: JsonObject, patch: JsonObject): JsonObject {
  return mergeObjects(base, patch, '');
}

function mergeObjects(base: JsonObject, patch: JsonObject, at: string): JsonObject {
  const out: JsonObject = structuredClone(base);
  for (const [key, value] of Object.entries(patch)) {
    const path = `${at}/${key}`;
    if (key.startsWith('$')) {
      throw new KustomizeError(`strategic merge directive "${key}" at ${at || '/'} is not supported by this renderer`);
    }
    if (value === null) {
      delete out[key];
    } else if (isObject(value) && isObject(out[key])) {
      out[key] = mergeObjects(out[key] as JsonObject, value, path);
    } else if (Array.isArray(value) && Array.isArray(out[key]) && MERGE_KEYS[key]) {
      out[key] = mergeLists(out[key] as Json[], value, MERGE_KEYS[key], path);
    } else {
      out[key] = structuredClone(value);
    }
  }
  return out;
}

/**
 * Merges two lists of objects by the first merge key each patch item carries. The order is
 * kustomize's (kyaml): the patch's items first, in the patch's order (each merged into the base
 * item with its key), then the base items the patch does not name, in their order.
 */
function mergeLists(base: Json[], patch: Json[], keys: readonly string[], at: string): Json[] {
  const merged: Json[] = [];
  const used = new Set<number>();
  for (const item of patch) {
    if (!isObject(item)) {
      throw new KustomizeError(`strategic merge of ${at}: list items must be mappings, got ${JSON.stringify(item)}`);
    }
    const key = keys.find((k) => item[k] !== undefined);
    if (key === undefined) {
      throw new KustomizeError(`strategic merge of ${at}: item ${JSON.stringify(item)} has none of the merge keys ${keys.join(', ')}`);
    }
    const index = base.findIndex((existing) => isObject(existing) && existing[key] === item[key]);
    if (index === -1) {
      merged.push(structuredClone(item));
    } else {
      used.add(index);
      merged.push(mergeObjects(base[index] as JsonObject, item, `${at}/${index}`));
    }
  }
  return [...merged, ...structuredClone(base.filter((_, index) => !used.has(index)))];
}
