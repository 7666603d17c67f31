/**
 * The subset against the real tool: every kustomization of deploy/k8s (overlays, base and its
 * parts) rendered by `kubectl kustomize` and by tools/kustomize must give the same objects.
 * Skipped, with the reason in its name, where kubectl (kustomize v5+) is not installed.
 */
import { readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findRealKustomize, renderWithKubectl } from '../real-kustomize.ts';
import { build } from '../render.ts';
import { resourceId } from '../select.ts';
import type { Resource } from '../types.ts';
import { removeTempTrees, tempTree } from '../../testing/temp-tree.ts';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const K8S = join(REPO, 'deploy/k8s');

/** Every folder under deploy/k8s holding a kustomization.yaml. */
function kustomizations(dir: string): string[] {
  const entries = readdirSync(dir, { withFileTypes: true });
  const here = entries.some((e) => e.isFile() && e.name === 'kustomization.yaml') ? [dir] : [];
  return [...here, ...entries.filter((e) => e.isDirectory()).flatMap((e) => kustomizations(join(dir, e.name)))];
}

/** Objects keyed by kind/namespace/name, JSON-normalised (kustomize and this subset may order resources and keys differently). */
function byId(resources: readonly Resource[]): Map<string, unknown> {
  return new Map(resources.map((r) => [resourceId(r), JSON.parse(JSON.stringify(r)) as unknown]));
}

const real = findRealKustomize();
const dirs = kustomizations(K8S).map((dir) => relative(REPO, dir)).sort();

describe('the kustomize subset', () => {
  it('finds the overlays and the base among the kustomizations to compare', () => {
    expect(dirs).toEqual(expect.arrayContaining(['deploy/k8s/base', 'deploy/k8s/overlays/dev', 'deploy/k8s/overlays/prod']));
  });
});

describe.skipIf(!real.available)(`the kustomize subset against kubectl kustomize (${real.available ? real.version : `skipped: ${real.reason}`})`, () => {
  afterAll(removeTempTrees);

  it.each(dirs)('renders %s exactly as kubectl kustomize does', (dir) => {
    const expected = renderWithKubectl(join(REPO, dir));
    const ours = build(join(REPO, dir));
    expect([...byId(ours).keys()].sort()).toEqual([...byId(expected).keys()].sort());
    expect(byId(ours)).toEqual(byId(expected));
  });

  it('orders a strategic-merge list as kustomize does: the patch\'s items first, then the rest of the base', () => {
    const base = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: x }\nspec:\n  template:\n    spec:\n      containers:\n        - { name: c1, env: [{ name: A, value: a }, { name: B, value: b }, { name: C, value: c }], ports: [{ containerPort: 1 }, { containerPort: 2 }] }\n        - { name: c2 }\n';
    const patch = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: x }\nspec:\n  template:\n    spec:\n      containers:\n        - { name: c3 }\n        - { name: c1, env: [{ name: D, value: d }, { name: B, value: bb }], ports: [{ containerPort: 3 }, { containerPort: 1, name: one }] }\n';
    const dir = tempTree({ 'kustomization.yaml': 'resources: [d.yaml]\npatches: [{ path: p.yaml }]\n', 'd.yaml': base, 'p.yaml': patch });
    const expected = renderWithKubectl(dir);
    expect(JSON.parse(JSON.stringify(build(dir)))).toEqual(JSON.parse(JSON.stringify(expected)));
  });
});
