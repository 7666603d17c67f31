/**
 * The guide's Kubernetes steps, checked by their inputs (no cluster here): its kustomization
 * rendered by the real kustomize, the Deployment it labels, and the PrometheusRule that
 * `periscope slo rules --format prometheus-rule` wrote.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { parse } from 'yaml';
import { ENV } from '@periscope/instrument/contract';
import { KUBERNETES, SLO_SERIES } from '@periscope/stack';
import { render } from '../deploy/k8s/src/render.ts';
import type { Resource } from '../deploy/k8s/src/resources.ts';
import { schemaProblems } from '../deploy/k8s/src/schemas.ts';

export type { Resource };

const PART_OF = { 'app.kubernetes.io/part-of': 'periscope' };

interface PodMonitorSpec {
  selector: { matchLabels: Record<string, string> };
  namespaceSelector?: { any?: boolean; matchNames?: string[] };
  podMetricsEndpoints: { port: string; relabelings: { sourceLabels: string[]; targetLabel: string }[] }[];
}

const monitorOf = (resources: readonly Resource[]) => resources.find((r) => r.kind === 'PodMonitor' && r.metadata.name === 'periscope-services')!;

/** `kubectl apply --server-side -k DIR`: what the real kustomize renders from the guide's kustomization. */
export function checkKustomization(dir: string): Resource[] {
  const resources = render(dir);
  const monitor = monitorOf(resources);
  expect(monitor.metadata.namespace).toBe('monitoring');
  expect((monitor.spec as unknown as PodMonitorSpec).namespaceSelector).toEqual({ any: true });
  for (const r of resources) expect(r.metadata.labels, `${r.kind}/${r.metadata.name}`).toMatchObject(PART_OF);
  expect(resources.filter((r) => r.kind === 'PrometheusRule').length).toBeGreaterThanOrEqual(6);
  expect(resources.filter((r) => r.kind === 'ConfigMap' && r.metadata.labels?.grafana_dashboard === '1').length).toBe(5);
  return resources;
}

/** `kubectl apply -n NS -f deployment.yaml`: the PodMonitor scrapes its pods, as job checkout, on the port named metrics. */
export async function checkDeployment(file: string, namespace: string, monitoring: readonly Resource[]): Promise<{ env: string }> {
  const deployment = { ...(parse(readFileSync(file, 'utf8')) as Resource) };
  deployment.metadata = { ...deployment.metadata, namespace };
  expect(await schemaProblems([deployment])).toEqual([]);
  const template = (deployment.spec as { template: { metadata: { labels: Record<string, string> }; spec: { containers: { env?: { name: string; value: string }[]; ports: { name: string; containerPort: number }[] }[] } } }).template;
  const labels = template.metadata.labels;
  expect(labels).toMatchObject({ [KUBERNETES.serviceLabel]: 'checkout', [KUBERNETES.scrapeLabel]: 'true', [KUBERNETES.teamLabel]: 'payments' });

  const spec = monitorOf(monitoring).spec as unknown as PodMonitorSpec;
  expect(labels, 'the PodMonitor selector matches the pod labels').toMatchObject(spec.selector.matchLabels);
  expect(spec.namespaceSelector?.any === true || spec.namespaceSelector?.matchNames?.includes(namespace), `the PodMonitor looks in ${namespace}`).toBe(true);
  const meta = (label: string) => `__meta_kubernetes_pod_label_${label.replace(/[^a-zA-Z0-9_]/g, '_')}`;
  const [endpoint] = spec.podMetricsEndpoints;
  expect(endpoint!.port).toBe(KUBERNETES.metricsPort);
  expect(endpoint!.relabelings).toEqual(expect.arrayContaining([
    expect.objectContaining({ sourceLabels: [meta(KUBERNETES.serviceLabel)], targetLabel: 'job' }),
    expect.objectContaining({ sourceLabels: [meta(KUBERNETES.teamLabel)], targetLabel: 'team' }),
  ]));

  const [container] = template.spec.containers;
  const metricsPort = container!.ports.find((p) => p.name === KUBERNETES.metricsPort);
  expect(metricsPort, `a container port named ${KUBERNETES.metricsPort}`).toBeDefined();
  expect(container!.env?.find((e) => e.name === ENV.metricsPort)?.value).toBe(String(metricsPort!.containerPort));
  return { env: ENV.metricsPort };
}

/** `kubectl apply -f checkout-slo.yaml`: a PrometheusRule the Operator's ruleSelector picks, declaring the guide's objectives. */
export function checkObjectivesRule(file: string, expected: readonly { sli: string; le?: string; value: number }[]): void {
  const rule = parse(readFileSync(file, 'utf8')) as Resource & { spec: { groups: { rules: { record: string; expr: string; labels: Record<string, string> }[] }[] } };
  expect(rule.kind).toBe('PrometheusRule');
  expect(rule.metadata).toMatchObject({ name: 'checkout-slo', namespace: 'monitoring', labels: PART_OF });
  const records = rule.spec.groups.flatMap((g) => g.rules).map((r) => ({ record: r.record, labels: r.labels, expr: r.expr }));
  expect(records).toEqual(expected.map((o) => ({
    record: SLO_SERIES.declaredObjective,
    labels: { job: 'checkout', sli: o.sli, ...(o.le ? { le: o.le } : {}) },
    expr: `vector(${o.value})`,
  })));
}
