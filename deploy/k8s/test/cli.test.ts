/**
 * The two commands the README gives: render an overlay to a YAML stream, and check that the
 * generated files are current.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '../src/sources.ts';
import { K8S_DIR, renderOverlay, removeTempTrees, tempTree } from './helpers.ts';

function run(script: string, args: string[]) {
  return spawnSync(process.execPath, [join(K8S_DIR, 'src', script), ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 30_000 });
}

afterAll(removeTempTrees);

describe('command line', () => {
  it('render.ts prints the overlay as kubectl kustomize renders it, a YAML stream kubectl can apply', () => {
    const result = run('render.ts', ['deploy/k8s/overlays/dev']);
    expect(result.status).toBe(0);
    const docs = parseAllDocuments(result.stdout).map((d) => d.toJS() as { kind: string; metadata: { name: string } });
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual(renderOverlay('dev').map((r) => `${r.kind}/${r.metadata.name}`));
  });

  it('render.ts without a directory prints its usage and exits 2', () => {
    const result = run('render.ts', []);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('usage: node deploy/k8s/src/render.ts <kustomization dir>');
  });

  it('render.ts reports a directory without a kustomization in one line, in kubectl\'s words, and exits 1', () => {
    const dir = tempTree({ 'README.md': 'no kustomization here' });
    const result = run('render.ts', [dir]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`render: unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '${dir}'\n`);
  });

  it('generate.ts --check exits 0 when every generated file is current', () => {
    const result = run('generate.ts', ['--check']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
