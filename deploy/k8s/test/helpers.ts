/** Test helpers: temporary kustomization trees and rendered overlays. Real servers come from tools/testing/. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from '../src/kustomize/render.ts';
import type { Resource } from '../src/kustomize/types.ts';

/** deploy/k8s */
export const K8S_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The overlays a user applies. */
export const OVERLAYS = ['dev', 'prod'] as const;

/** Renders an overlay of deploy/k8s. */
export function renderOverlay(name: (typeof OVERLAYS)[number]): Resource[] {
  return build(join(K8S_DIR, 'overlays', name));
}

const trees: string[] = [];

/** Writes `files` (path → content) under a new temporary directory and returns it. */
export function tempTree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'periscope-k8s-'));
  trees.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/** Deletes every directory tempTree made (call from afterAll). */
export function removeTempTrees(): void {
  for (const root of trees.splice(0)) rmSync(root, { recursive: true, force: true });
}
