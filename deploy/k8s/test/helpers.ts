/** Test helpers: the overlays of deploy/k8s, rendered by the real kustomize. Temporary trees and real servers come from tools/testing/. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { render } from '../src/render.ts';
import type { Resource } from '../src/resources.ts';

export { removeTempTrees, tempTree } from '../../../tools/testing/temp-tree.ts';

/** deploy/k8s */
export const K8S_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The overlays a user applies. */
export const OVERLAYS = ['dev', 'prod'] as const;

const rendered = new Map<string, readonly Resource[]>();

/** An overlay of deploy/k8s as `kubectl kustomize` renders it (rendered once per test file; each call gets its own copy). */
export function renderOverlay(name: (typeof OVERLAYS)[number]): Resource[] {
  let resources = rendered.get(name);
  if (!resources) rendered.set(name, (resources = render(join(K8S_DIR, 'overlays', name))));
  return structuredClone(resources) as Resource[];
}
