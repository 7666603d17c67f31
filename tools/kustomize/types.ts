/**
 * Shapes shared by the kustomize renderer. Kubernetes objects are plain JSON values: the renderer
 * never needs their schema, only apiVersion, kind and metadata.
 */

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

/** Which resources a patch applies to (kustomize's `target`). `name` is an anchored regex. */
export interface Target {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
}

/** An entry of `patches`: a strategic-merge or JSON 6902 patch, from a file or inline. */
export interface PatchEntry {
  path?: string;
  patch?: string;
  target?: Target;
}

/** An entry of `labels`. */
export interface LabelEntry {
  pairs: Record<string, string>;
  includeSelectors?: boolean;
  includeTemplates?: boolean;
}

/** An entry of `replicas`. */
export interface ReplicaEntry {
  name: string;
  count: number;
}

/** An entry of `images`. */
export interface ImageEntry {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

/** The subset of kustomization.yaml this renderer supports (see deploy/k8s/README.md). */
export interface Kustomization {
  apiVersion?: string;
  kind?: string;
  resources?: string[];
  namespace?: string;
  labels?: LabelEntry[];
  patches?: PatchEntry[];
  replicas?: ReplicaEntry[];
  images?: ImageEntry[];
}

/** Error raised for any manifest or kustomization the renderer cannot honour. */
export class KustomizeError extends Error {
  readonly code = 'PERISCOPE_KUSTOMIZE';
  constructor(message: string) {
    super(message);
    this.name = 'KustomizeError';
  }
}

/** True for a non-null, non-array object. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
