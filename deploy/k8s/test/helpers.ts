/** Test helpers: the overlays of deploy/k8s, rendered. Temporary trees and real servers come from tools/testing/. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from '../../../tools/kustomize/render.ts';
import type { Resource } from '../../../tools/kustomize/types.ts';

export { removeTempTrees, tempTree } from '../../../tools/testing/temp-tree.ts';

/** deploy/k8s */
export const K8S_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The overlays a user applies. */
export const OVERLAYS = ['dev', 'prod'] as const;

/** Renders an overlay of deploy/k8s. */
export function renderOverlay(name: (typeof OVERLAYS)[number]): Resource[] {
  return build(join(K8S_DIR, 'overlays', name));
}
