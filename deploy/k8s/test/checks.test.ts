/**
 * The consistency checks catch the mistakes they are there for: each case breaks one thing in a
 * copy of the prod render and expects exactly that problem.
 */
import { describe, expect, it } from 'vitest';
import { consistencyProblems } from '../src/checks.ts';
import { schemaProblems } from '../src/schemas.ts';
import type { Resource } from '../src/resources.ts';
import { renderOverlay } from './helpers.ts';

const prod = renderOverlay('prod');

// Each case breaks a field at an arbitrary depth of a plain JSON object.
type Loose = any;

/** A copy of the prod render with `edit` applied to the object of `kind` named `name`. */
function broken(kind: string, name: string, edit: (r: Loose) => void): Resource[] {
  const copy = structuredClone(prod);
  const target = copy.find((r) => r.kind === kind && r.metadata.name === name);
  if (!target) throw new Error(`no ${kind}/${name}`);
  edit(target);
  return copy;
}

describe('consistency checks', () => {
  it('find nothing wrong in the prod render', () => {
    expect(consistencyProblems(prod)).toEqual([]);
  });

  it('report a Service whose selector matches no pods', () => {
    const problems = consistencyProblems(broken('Service', 'users', (s) => (s.spec.selector = { 'app.kubernetes.io/name': 'user' })));
    expect(problems).toEqual(['Service/periscope/users: selector matches no pod template']);
  });

  it('report a Service port that targets a port the pods do not declare', () => {
    const problems = consistencyProblems(broken('Service', 'users', (s) => (s.spec.ports[1].targetPort = 'metric')));
    expect(problems).toEqual(['Service/periscope/users: port metrics targets metric, not a port of Deployment/periscope/users']);
  });

  it('report a probe on an undeclared port', () => {
    const problems = consistencyProblems(broken('Deployment', 'thoughts', (d) => (d.spec.template.spec.containers[0].readinessProbe.httpGet.port = 8080)));
    expect(problems).toEqual(['Deployment/periscope/thoughts: thoughts readinessProbe uses port 8080, which the container does not declare']);
  });

  it('report a ServiceMonitor that selects no Service or names a port the Service lacks', () => {
    expect(consistencyProblems(broken('ServiceMonitor', 'alloy', (m) => (m.spec.selector.matchLabels = { app: 'alloy' }))))
      .toEqual(['ServiceMonitor/periscope/alloy: selector matches no Service']);
    expect(consistencyProblems(broken('ServiceMonitor', 'alloy', (m) => (m.spec.endpoints[0].port = 'metrics'))))
      .toEqual(['ServiceMonitor/periscope/alloy: endpoint port metrics is not a named port of Service/periscope/alloy']);
  });

  it('report a PodMonitor that selects no pods, and a selected pod without the port it scrapes', () => {
    expect(consistencyProblems(broken('PodMonitor', 'periscope-services', (m) => (m.spec.selector.matchLabels = { 'periscope.dev/scrape': 'yes' }))))
      .toEqual(['PodMonitor/periscope/periscope-services: selector matches no pod template']);
    expect(consistencyProblems(broken('Deployment', 'users', (d) => (d.spec.template.spec.containers[0].ports[1].name = 'prom'))))
      .toEqual([
        'Service/periscope/users: port metrics targets metrics, not a port of Deployment/periscope/users',
        'PodMonitor/periscope/periscope-services: endpoint port metrics is not a named container port of Deployment/periscope/users',
      ]);
  });

  it('report a disruption budget and a spread constraint that select the wrong pods', () => {
    expect(consistencyProblems(broken('PodDisruptionBudget', 'users', (p) => (p.spec.selector.matchLabels = { 'app.kubernetes.io/name': 'usres' }))))
      .toEqual(['PodDisruptionBudget/periscope/users: selector matches no pod template']);
    expect(consistencyProblems(broken('Deployment', 'users', (d) => (d.spec.template.spec.topologySpreadConstraints[0].labelSelector.matchLabels = { 'app.kubernetes.io/name': 'thoughts' }))))
      .toEqual(['Deployment/periscope/users: an anti-affinity or topology spread selector does not match its own pods']);
  });

  it('report a Deployment whose selector does not match its template, and missing ConfigMaps and ServiceAccounts', () => {
    expect(consistencyProblems(broken('Deployment', 'users', (d) => (d.spec.selector.matchLabels = { 'app.kubernetes.io/name': 'x' }))))
      .toContain('Deployment/periscope/users: spec.selector does not match its pod template\'s labels');
    expect(consistencyProblems(broken('DaemonSet', 'alloy', (d) => (d.spec.template.spec.volumes[0].configMap.name = 'alloy'))))
      .toEqual(['DaemonSet/periscope/alloy: ConfigMap alloy is not in the render']);
    expect(consistencyProblems(broken('ClusterRoleBinding', 'periscope-alloy', (b) => (b.subjects[0].namespace = 'default'))))
      .toEqual(['ClusterRoleBinding/periscope-alloy: subject ServiceAccount default/alloy is not in the render']);
  });
});

describe('schema validation', () => {
  it('reports a wrong type and an unknown kind', async () => {
    const wrongType = broken('Deployment', 'users', (d) => (d.spec.replicas = 'three'));
    expect(await schemaProblems(wrongType.filter((r) => r.kind === 'Deployment' && r.metadata.name === 'users')))
      .toEqual(['Deployment/periscope/users: data/spec/replicas must be integer']);
    const unknown = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } } as Resource;
    expect(await schemaProblems([unknown])).toEqual(['Widget/w: no schema for example.com/v1 Widget']);
  });

  it('reports a PrometheusRule whose for is not a duration', async () => {
    const rule = prod.find((r) => r.kind === 'PrometheusRule') as Resource;
    const bad = structuredClone(rule) as Loose;
    bad.spec.groups[0].rules[0].for = 'ten minutes';
    const problems = await schemaProblems([bad as Resource]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/for must match pattern/);
  });
});
