/**
 * Both overlays render, every object validates against the Kubernetes and Prometheus Operator
 * schemas, the objects fit together, and the demo services get what the telemetry contract asks
 * for: probes on the health endpoints, a named metrics port, the OTEL_* and PERISCOPE_*
 * environment, non-root pods with a read-only root filesystem.
 */
import { describe, expect, it } from 'vitest';
import { ENV, HEALTH_PATH, METRICS_PATH } from '@periscope/instrument/contract';
import { schemaProblems } from '../src/schemas.ts';
import { KUBERNETES } from '@periscope/stack';
import { consistencyProblems, podMonitorTargets } from '../src/checks.ts';
import { isNamespaced, podSpec, podTemplate } from '../src/resources.ts';
import type { Resource } from '../src/resources.ts';
import { OVERLAYS, renderOverlay } from './helpers.ts';
import { CONFIG_MAP } from '../src/alloy.ts';

interface Probe { httpGet: { path: string; port: string } }
interface Container {
  name: string;
  command: string[];
  ports: Array<{ name: string; containerPort: number }>;
  env: Array<{ name: string; value?: string }>;
  envFrom: Array<{ configMapRef: { name: string } }>;
  livenessProbe: Probe;
  readinessProbe: Probe;
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  securityContext: { readOnlyRootFilesystem: boolean; allowPrivilegeEscalation: boolean; capabilities: { drop: string[] } };
}

const DEMO = ['frontend', 'users', 'thoughts'];

function container(resource: Resource): Container {
  return (podSpec(resource)?.containers as unknown as Container[])[0] as Container;
}

function demoDeployments(resources: readonly Resource[]): Resource[] {
  return resources.filter((r) => r.kind === 'Deployment' && DEMO.includes(r.metadata.name));
}

/** The environment a container sees: its ConfigMap envFrom data, then its own env. */
function environment(resources: readonly Resource[], c: Container): Map<string, string | undefined> {
  const env = new Map<string, string | undefined>();
  for (const from of c.envFrom ?? []) {
    const configMap = resources.find((r) => r.kind === 'ConfigMap' && r.metadata.name === from.configMapRef.name);
    for (const [k, v] of Object.entries((configMap?.data ?? {}) as Record<string, string>)) env.set(k, v);
  }
  for (const e of c.env ?? []) env.set(e.name, e.value);
  return env;
}

describe.each(OVERLAYS)('overlay %s', (overlay) => {
  const resources = renderOverlay(overlay);

  it('validates every rendered object against its schema', async () => {
    expect(resources.length).toBeGreaterThan(10);
    expect(await schemaProblems(resources)).toEqual([]);
  });

  it('has selectors, ports, probes and references that match what they point at', () => {
    expect(consistencyProblems(resources)).toEqual([]);
  });

  it('puts every namespaced object in the overlay\'s namespace', () => {
    const namespace = resources.find((r) => r.kind === 'Namespace')?.metadata.name;
    expect(namespace).toMatch(/^periscope/);
    for (const r of resources.filter((x) => isNamespaced(x.kind))) expect(r.metadata.namespace, r.kind).toBe(namespace);
  });

  it('runs each demo service with liveness on /healthz and readiness on /readyz of its http port', () => {
    expect(demoDeployments(resources).map((d) => d.metadata.name).sort()).toEqual([...DEMO].sort());
    for (const d of demoDeployments(resources)) {
      const c = container(d);
      expect(c.command).toEqual(['node', `demo-services/${d.metadata.name}/src/main.ts`]);
      expect(c.livenessProbe.httpGet).toEqual({ path: HEALTH_PATH.liveness, port: 'http' });
      expect(c.readinessProbe.httpGet).toEqual({ path: HEALTH_PATH.readiness, port: 'http' });
    }
  });

  it('serves /metrics on the port named metrics, the one PERISCOPE_METRICS_PORT names and the one PodMonitor scrapes, job = service name', () => {
    const monitor = resources.find((r) => r.kind === 'PodMonitor') as Resource;
    const endpoints = (monitor.spec as { podMetricsEndpoints: Array<{ port: string; path: string }> }).podMetricsEndpoints;
    expect(endpoints).toMatchObject([{ port: KUBERNETES.metricsPort, path: METRICS_PATH }]);
    const scraped = podMonitorTargets(resources, monitor);
    for (const d of demoDeployments(resources)) {
      const c = container(d);
      const metrics = c.ports.find((p) => p.name === KUBERNETES.metricsPort);
      expect(metrics, d.metadata.name).toBeDefined();
      expect(environment(resources, c).get(ENV.metricsPort)).toBe(String(metrics?.containerPort));
      expect(scraped, d.metadata.name).toContain(d);
      // job comes from this pod label: the service name, as the alerts expect.
      expect((podTemplate(d)?.metadata as { labels: Record<string, string> }).labels[KUBERNETES.serviceLabel]).toBe(d.metadata.name);
    }
  });

  it('gives each demo service its OTEL_* and PERISCOPE_* environment', () => {
    for (const d of demoDeployments(resources)) {
      const env = environment(resources, container(d));
      expect(env.get('OTEL_SERVICE_NAME')).toBe(d.metadata.name);
      expect(env.get('HOST'), 'listens beyond 127.0.0.1 so probes and Services reach it').toBe('0.0.0.0');
      for (const name of ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_TRACES_SAMPLER', 'OTEL_TRACES_SAMPLER_ARG', 'OTEL_RESOURCE_ATTRIBUTES', ENV.version, ENV.logLevel]) {
        expect(env.has(name), `${d.metadata.name} ${name}`).toBe(true);
      }
      const periscope = [...env.keys()].filter((k) => k.startsWith('PERISCOPE_'));
      expect(periscope.filter((k) => !Object.values(ENV).includes(k as never))).toEqual([]);
    }
  });

  it('labels every pod app.kubernetes.io/part-of: periscope, the label Alloy collects logs by', () => {
    for (const w of resources.filter((r) => podTemplate(r))) {
      expect((podTemplate(w)?.metadata as { labels: Record<string, string> }).labels['app.kubernetes.io/part-of'], w.metadata.name).toBe('periscope');
    }
  });

  it('sets every environment variable the generated Alloy config reads', () => {
    const configMap = resources.find((r) => r.kind === 'ConfigMap' && r.metadata.name === CONFIG_MAP.name);
    const config = (configMap?.data as Record<string, string>)[CONFIG_MAP.key] as string;
    const read = [...new Set([...config.matchAll(/sys\.env\("([A-Za-z_][A-Za-z0-9_]*)"\)/g)].map((m) => m[1]))].sort();
    expect(read.length).toBeGreaterThan(0);
    const alloy = resources.find((r) => r.kind === 'DaemonSet' && r.metadata.name === 'alloy') as Resource;
    const set = container(alloy).env.map((e) => e.name);
    expect(read.filter((name) => !set.includes(name as string))).toEqual([]);
  });

  it('runs every pod as non-root with a read-only root filesystem, no privilege escalation and limits', () => {
    for (const w of resources.filter((r) => podTemplate(r))) {
      const spec = podSpec(w) as { securityContext: { runAsNonRoot: boolean } };
      expect(spec.securityContext.runAsNonRoot, w.metadata.name).toBe(true);
      const c = container(w);
      expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
      expect(Object.keys(c.resources.requests).sort()).toEqual(['cpu', 'memory']);
      expect(Object.keys(c.resources.limits).sort()).toEqual(['cpu', 'memory']);
    }
  });
});

describe('dev and prod differ as documented', () => {
  const dev = renderOverlay('dev');
  const prod = renderOverlay('prod');
  const replicas = (rs: Resource[]) => demoDeployments(rs).map((d) => (d.spec as { replicas: number }).replicas);
  const memoryLimit = (rs: Resource[]) => demoDeployments(rs).map((d) => container(d).resources.limits.memory);

  it('runs one replica of each service with smaller limits in dev', () => {
    expect(replicas(dev)).toEqual([1, 1, 1]);
    expect(memoryLimit(dev)).not.toEqual(memoryLimit(prod));
    expect(dev.some((r) => r.kind === 'PodDisruptionBudget')).toBe(false);
  });

  it('runs several replicas in prod, each with a disruption budget, anti-affinity and topology spread', () => {
    expect(replicas(prod).every((n) => n >= 2)).toBe(true);
    for (const d of demoDeployments(prod)) {
      const budget = prod.find((r) => r.kind === 'PodDisruptionBudget' && r.metadata.name === d.metadata.name);
      expect(budget?.spec).toMatchObject({ maxUnavailable: 1 });
      const spec = podSpec(d) as { affinity?: { podAntiAffinity?: unknown }; topologySpreadConstraints?: unknown[] };
      expect(spec.affinity?.podAntiAffinity, d.metadata.name).toBeDefined();
      expect(spec.topologySpreadConstraints?.length).toBe(2);
    }
  });

  it('labels log streams env="dev" in dev and env="prod" in prod', () => {
    const env = (rs: Resource[]) => container(rs.find((r) => r.kind === 'DaemonSet') as Resource).env.find((e) => e.name === 'PERISCOPE_ENV')?.value;
    expect([env(dev), env(prod)]).toEqual(['dev', 'prod']);
  });

  it('samples every new trace in dev and a tenth in prod', () => {
    const arg = (rs: Resource[]) => environment(rs, container(demoDeployments(rs)[0] as Resource)).get('OTEL_TRACES_SAMPLER_ARG');
    expect([arg(dev), arg(prod)]).toEqual(['1', '0.1']);
  });
});
