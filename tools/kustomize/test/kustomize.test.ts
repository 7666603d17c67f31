/**
 * The small kustomize renderer: each supported field does what kustomize does, and anything it
 * does not support fails loudly.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { build, toYaml } from '../render.ts';
import { strategicMerge } from '../strategic-merge.ts';
import { applyJsonPatch } from '../json-patch.ts';
import { parseImage } from '../transformers.ts';
import { matchesLabelSelector } from '../select.ts';
import { removeTempTrees, tempTree } from '../../testing/temp-tree.ts';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: { app: web }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: example/web:1.0
          env: [{ name: A, value: "1" }, { name: B, value: "2" }]
          ports: [{ name: http, containerPort: 8080 }]
`;
const SERVICE = `apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  selector: { app: web }
  ports: [{ name: http, port: 80, targetPort: http }]
`;
const BINDING = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: web }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view }
subjects: [{ kind: ServiceAccount, name: web, namespace: default }]
`;

function tree(kustomization: string, extra: Record<string, string> = {}): string {
  return tempTree({ 'base/kustomization.yaml': 'resources: [app.yaml, binding.yaml]\n', 'base/app.yaml': `${DEPLOYMENT}---\n${SERVICE}`, 'base/binding.yaml': BINDING, 'overlay/kustomization.yaml': kustomization, ...extra });
}

function deployment(resources: ReturnType<typeof build>) {
  const found = resources.find((r) => r.kind === 'Deployment');
  if (!found) throw new Error('no Deployment rendered');
  return found as unknown as { metadata: { namespace?: string; labels: Record<string, string> }; spec: { replicas: number; selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> }; spec: { containers: Array<{ image: string; env: Array<{ name: string; value: string }>; resources?: unknown }> } } } };
}

afterAll(removeTempTrees);

describe('kustomize renderer', () => {
  it('loads resources from files and directories, in kustomize legacy kind order', () => {
    const rendered = build(join(tree('resources: [../base]\n'), 'overlay'));
    expect(rendered.map((r) => r.kind)).toEqual(['ClusterRoleBinding', 'Service', 'Deployment']);
  });

  it('sets the namespace on namespaced objects, not on cluster-scoped objects nor binding subjects', () => {
    const rendered = build(join(tree('resources: [../base]\nnamespace: team\n'), 'overlay'));
    expect(deployment(rendered).metadata.namespace).toBe('team');
    const binding = rendered.find((r) => r.kind === 'ClusterRoleBinding');
    expect(binding?.metadata.namespace).toBeUndefined();
    expect(binding?.subjects).toEqual([{ kind: 'ServiceAccount', name: 'web', namespace: 'default' }]);
  });

  it('adds labels to metadata and templates but leaves selectors alone unless includeSelectors is set', () => {
    const plain = deployment(build(join(tree('resources: [../base]\nlabels: [{ pairs: { tier: a }, includeTemplates: true }]\n'), 'overlay')));
    expect(plain.metadata.labels.tier).toBe('a');
    expect(plain.spec.template.metadata.labels.tier).toBe('a');
    expect(plain.spec.selector.matchLabels.tier).toBeUndefined();
    const rendered = build(join(tree('resources: [../base]\nlabels: [{ pairs: { tier: a }, includeSelectors: true }]\n'), 'overlay'));
    expect(deployment(rendered).spec.selector.matchLabels.tier).toBe('a');
    expect((rendered.find((r) => r.kind === 'Service')?.spec as { selector: Record<string, string> }).selector.tier).toBe('a');
  });

  it('applies a strategic merge patch by the patch\'s own kind and name, merging env by name, the patch\'s items first as kustomize orders them', () => {
    const patch = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\nspec:\n  template:\n    spec:\n      containers: [{ name: web, env: [{ name: B, value: "3" }, { name: C, value: "4" }] }]\n';
    const rendered = build(join(tree('resources: [../base]\npatches: [{ path: p.yaml }]\n', { 'overlay/p.yaml': patch }), 'overlay'));
    expect(deployment(rendered).spec.template.spec.containers[0]?.env).toEqual([{ name: 'B', value: '3' }, { name: 'C', value: '4' }, { name: 'A', value: '1' }]);
  });

  it('applies a JSON 6902 patch to every resource its target selects by kind and label', () => {
    const ops = '- op: replace\n  path: /spec/template/spec/containers/0/image\n  value: example/web:2.0\n';
    const kustomization = 'resources: [../base]\npatches: [{ path: ops.yaml, target: { group: apps, kind: Deployment, labelSelector: app=web } }]\n';
    const rendered = build(join(tree(kustomization, { 'overlay/ops.yaml': ops }), 'overlay'));
    expect(deployment(rendered).spec.template.spec.containers[0]?.image).toBe('example/web:2.0');
  });

  it('sets replicas and rewrites images by name', () => {
    const kustomization = 'resources: [../base]\nreplicas: [{ name: web, count: 4 }]\nimages: [{ name: example/web, newName: mirror/web, newTag: "3.1" }]\n';
    const d = deployment(build(join(tree(kustomization), 'overlay')));
    expect(d.spec.replicas).toBe(4);
    expect(d.spec.template.spec.containers[0]?.image).toBe('mirror/web:3.1');
  });

  it('rejects a kustomization field it does not implement, naming it', () => {
    expect(() => build(join(tree('resources: [../base]\nnamePrefix: x-\n'), 'overlay'))).toThrow('field(s) namePrefix not supported by this renderer');
  });

  it('fails when a patch or a replicas entry selects nothing, instead of silently doing nothing', () => {
    const patch = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: api }\nspec: { replicas: 2 }\n';
    expect(() => build(join(tree('resources: [../base]\npatches: [{ path: p.yaml }]\n', { 'overlay/p.yaml': patch }), 'overlay'))).toThrow('matches no resource');
    expect(() => build(join(tree('resources: [../base]\nreplicas: [{ name: api, count: 2 }]\n'), 'overlay'))).toThrow('no Deployment, StatefulSet or ReplicaSet named "api"');
  });

  it('fails on two resources with the same kind, namespace and name', () => {
    expect(() => build(join(tree('resources: [../base, ../base/app.yaml]\n'), 'overlay'))).toThrow('duplicate resource Deployment/web');
  });

  it('prints a multi-document YAML stream', () => {
    const text = toYaml(build(join(tree('resources: [../base]\n'), 'overlay')));
    expect(text.split('---\n')).toHaveLength(3);
  });
});

describe('strategic merge patch', () => {
  it('merges mappings, deletes keys set to null and replaces lists without a merge key', () => {
    const merged = strategicMerge({ a: { b: 1, c: 2 }, args: ['x', 'y'] }, { a: { c: null, d: 3 }, args: ['z'] });
    expect(merged).toEqual({ a: { b: 1, d: 3 }, args: ['z'] });
  });

  it('merges container ports by containerPort and Service ports by port', () => {
    expect(strategicMerge({ ports: [{ containerPort: 80, name: 'a' }] }, { ports: [{ containerPort: 80, name: 'b' }, { containerPort: 90 }] }))
      .toEqual({ ports: [{ containerPort: 80, name: 'b' }, { containerPort: 90 }] });
    expect(strategicMerge({ ports: [{ port: 80, name: 'a' }] }, { ports: [{ port: 80, protocol: 'TCP' }] })).toEqual({ ports: [{ port: 80, name: 'a', protocol: 'TCP' }] });
  });

  it('rejects patch directives rather than ignoring them', () => {
    expect(() => strategicMerge({ a: 1 }, { $patch: 'replace' })).toThrow('strategic merge directive "$patch" at / is not supported');
  });
});

describe('JSON patch', () => {
  it('adds, removes, replaces, moves, copies and tests with escaped pointers', () => {
    const doc = { metadata: { annotations: { 'a/b': '1' } }, list: [1, 2] };
    const out = applyJsonPatch(doc, [
      { op: 'add', path: '/list/-', value: 3 },
      { op: 'replace', path: '/metadata/annotations/a~1b', value: '2' },
      { op: 'copy', from: '/list/0', path: '/first' },
      { op: 'move', from: '/first', path: '/moved' },
      { op: 'remove', path: '/list/1' },
      { op: 'test', path: '/moved', value: 1 },
    ]);
    expect(out).toEqual({ metadata: { annotations: { 'a/b': '2' } }, list: [1, 3], moved: 1 });
    expect(doc.list).toEqual([1, 2]);
  });

  it('fails on a path that does not exist and on a failed test', () => {
    expect(() => applyJsonPatch({ a: 1 }, [{ op: 'remove', path: '/b' }])).toThrow('"b" does not exist');
    expect(() => applyJsonPatch({ a: 1 }, [{ op: 'test', path: '/a', value: 2 }])).toThrow('JSON patch test failed at /a');
  });
});

describe('selectors and images', () => {
  it('evaluates equality-based label selectors', () => {
    expect(matchesLabelSelector({ a: '1', b: '2' }, 'a=1, b==2')).toBe(true);
    expect(matchesLabelSelector({ a: '1' }, 'a!=1')).toBe(false);
    expect(() => matchesLabelSelector({}, 'a in (1)')).toThrow('is not supported');
  });

  it('splits image references with registry ports, tags and digests', () => {
    expect(parseImage('registry:5000/team/web:1.2')).toEqual({ name: 'registry:5000/team/web', tag: '1.2' });
    expect(parseImage('web@sha256:abc')).toEqual({ name: 'web', digest: 'sha256:abc' });
    expect(parseImage('registry:5000/web')).toEqual({ name: 'registry:5000/web' });
  });
});
