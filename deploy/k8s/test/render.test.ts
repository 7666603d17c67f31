/**
 * Every kustomization under deploy/k8s — both overlays, the base and each of its parts — renders
 * with the real kustomize (`kubectl kustomize` of the pinned kubectl) into objects that each have
 * a kind and a name, none twice.
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { render } from '../src/render.ts';
import { resourceId } from '../src/resources.ts';
import { REPO_ROOT } from '../src/sources.ts';
import { K8S_DIR } from './helpers.ts';

/** Every folder under `dir` holding a kustomization.yaml. */
function kustomizations(dir: string): string[] {
  const entries = readdirSync(dir, { withFileTypes: true });
  const here = entries.some((e) => e.isFile() && e.name === 'kustomization.yaml') ? [dir] : [];
  return [...here, ...entries.filter((e) => e.isDirectory()).flatMap((e) => kustomizations(join(dir, e.name)))];
}

const dirs = kustomizations(K8S_DIR).map((dir) => relative(REPO_ROOT, dir)).sort();

describe('kubectl kustomize', () => {
  it('finds the overlays and the base among the kustomizations', () => {
    expect(dirs).toEqual(expect.arrayContaining(['deploy/k8s/base', 'deploy/k8s/overlays/dev', 'deploy/k8s/overlays/prod']));
  });

  it.each(dirs)('renders %s into named objects, each once', (dir) => {
    const resources = render(join(REPO_ROOT, dir));
    expect(resources.length).toBeGreaterThan(0);
    const ids = resources.map(resourceId);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    for (const r of resources) expect(typeof r.metadata.name, resourceId(r)).toBe('string');
  });
});
