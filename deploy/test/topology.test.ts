/**
 * The demo's topology (demo-services/shared/src/topology.ts) is the one list of its services:
 * every place that names them — the Prometheus configs, the launcher's derived config, the SLO
 * rules, the compose file, the Kubernetes apps — names exactly those, with the topology's ports
 * and calls, and the dashboards name none (their service variable asks Prometheus).
 */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { JOBS } from '../../alerts/config.ts';
import { BACKEND_URL_ENV, LOOPBACK, SERVICE_NAMES, SERVICES } from '../../demo-services/shared/src/topology.ts';
import { COMPONENTS } from '../../demo-services/launcher/src/components.ts';
import { derivePrometheusConfig } from '../../demo-services/launcher/src/prometheus-config.ts';
import { buildAll } from '../grafana/src/dashboards/index.ts';
import { renderOverlay } from '../k8s/test/helpers.ts';
import { podSpec } from '../../tools/kustomize/select.ts';

const file = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const yaml = <T>(path: string) => parse(readFileSync(file(path), 'utf8'), { merge: true }) as T;
/** A percentage as the ratio the rules record (99.9 → 0.999). */
const ratio = (percent: number) => Number((percent / 100).toPrecision(10));
const sorted = (names: Iterable<string>) => [...names].sort();
const SERVICES_SORTED = sorted(SERVICE_NAMES);
/** Jobs of the monitoring stack itself, not demo services. */
const INFRA_JOBS: readonly string[] = [JOBS.node, JOBS.prometheus, JOBS.alertmanager];

interface PromConfig { scrape_configs: { job_name: string; static_configs?: { targets: string[] }[] }[] }
const serviceJobs = (config: PromConfig) => config.scrape_configs.map((s) => s.job_name).filter((job) => !INFRA_JOBS.includes(job));
const targetsOf = (config: PromConfig, job: string) => config.scrape_configs.find((s) => s.job_name === job)?.static_configs?.flatMap((c) => c.targets);

describe('the demo topology', () => {
  it('lists each service after the services it calls, and only calls services it lists', () => {
    SERVICE_NAMES.forEach((name, index) => {
      for (const callee of SERVICES[name].calls) expect(SERVICE_NAMES.indexOf(callee), `${name} calls ${callee}`).toBeGreaterThanOrEqual(0);
      for (const callee of SERVICES[name].calls) expect(SERVICE_NAMES.indexOf(callee), `${name} starts after ${callee}`).toBeLessThan(index);
    });
  });

  it('gives every service distinct public and admin ports', () => {
    const ports = SERVICE_NAMES.flatMap((name) => [SERVICES[name].port, SERVICES[name].adminPort]);
    expect(new Set(ports).size).toBe(ports.length);
  });

  it('is the alerts\' list of service jobs and the launcher\'s service components', () => {
    expect(sorted(JOBS.services)).toEqual(SERVICES_SORTED);
    const launcherServices = Object.values(COMPONENTS).filter((c) => c.job && !INFRA_JOBS.includes(c.job));
    expect(sorted(launcherServices.map((c) => c.job!))).toEqual(SERVICES_SORTED);
  });

  it('names exactly its services in both committed Prometheus configs, on its ports locally', () => {
    const local = yaml<PromConfig>('../prometheus/prometheus.local.yml');
    const container = yaml<PromConfig>('../prometheus/prometheus.yml');
    expect(sorted(serviceJobs(local))).toEqual(SERVICES_SORTED);
    expect(sorted(serviceJobs(container))).toEqual(SERVICES_SORTED);
    for (const name of SERVICE_NAMES) {
      expect(targetsOf(local, name)).toEqual([`${LOOPBACK}:${SERVICES[name].port}`]);
      expect(targetsOf(container, name)).toEqual([`${name}:${SERVICES[name].port}`]);
    }
  });

  it('names exactly its services in the config the launcher renders, each on the port it got', () => {
    const targets = Object.fromEntries(SERVICE_NAMES.map((name, i) => [name, `${LOOPBACK}:${40_000 + i}`]));
    const path = file('../prometheus/prometheus.local.yml');
    const { config } = derivePrometheusConfig({ sourceText: readFileSync(path, 'utf8'), sourceDir: dirname(path), targets });
    const rendered = config as unknown as PromConfig;
    expect(sorted(serviceJobs(rendered))).toEqual(SERVICES_SORTED);
    for (const name of SERVICE_NAMES) expect(targetsOf(rendered, name)).toEqual([targets[name]]);
  });

  it('has an availability and a latency SLO for exactly its services in slo.rules.yml, with its objectives', () => {
    const rules = yaml<{ groups: { rules: { record?: string; expr: string; labels?: Record<string, string> }[] }[] }>('../../alerts/slo.rules.yml');
    const objectives = rules.groups.flatMap((g) => g.rules).filter((r) => r.record === 'job:slo_objective:ratio');
    const got = objectives.map((r) => `${r.labels!.job}/${r.labels!.sli}=${Number(/^vector\((.+)\)$/.exec(r.expr)?.[1])}`).sort();
    const want = SERVICE_NAMES.flatMap((name) => [
      `${name}/availability=${ratio(SERVICES[name].slo.availability)}`,
      `${name}/latency=${ratio(SERVICES[name].slo.latency.objective)}`,
    ]).sort();
    expect(got).toEqual(want);
  });

  it('has a row per SLO of exactly its services on the SLO dashboard, and no service named on any other', () => {
    const jobsIn = (text: string) => new Set([...text.matchAll(/job=\\"([a-z][a-z0-9_-]*)\\"/g)].map((m) => m[1]!));
    for (const dashboard of buildAll().values()) {
      const text = JSON.stringify(dashboard);
      if (dashboard.uid === 'periscope-slos') {
        expect(sorted(jobsIn(text))).toEqual(SERVICES_SORTED);
        continue;
      }
      for (const name of SERVICE_NAMES) expect(text, `${dashboard.uid} names ${name}`).not.toMatch(new RegExp(`\\b${name}\\b`));
      // The service picker asks Prometheus which jobs report a build, so a new service appears by itself.
      const service = dashboard.templating.list.find((v) => v.name === 'service');
      if (service) expect(service.type).toBe('query');
    }
  });

  it('runs exactly its services (and loadgen and the alert receiver) from the demo image in compose, with its ports, backend URLs and start order', () => {
    interface ComposeService { image?: string; environment?: Record<string, string>; depends_on?: Record<string, unknown> }
    const compose = yaml<{ services: Record<string, ComposeService> }>('../compose.yaml');
    const demo = Object.entries(compose.services).filter(([, s]) => s.image === 'periscope-demo:local').map(([name]) => name);
    expect(sorted(demo)).toEqual(sorted([...SERVICE_NAMES, 'loadgen', 'alert-receiver']));
    for (const name of SERVICE_NAMES) {
      const service = compose.services[name]!;
      expect(service.environment![SERVICES[name].portEnv]).toBe(String(SERVICES[name].port));
      for (const callee of SERVICES[name].calls) {
        expect(service.environment![BACKEND_URL_ENV[callee]]).toBe(`http://${callee}:${SERVICES[callee].port}`);
        expect(Object.keys(service.depends_on ?? {})).toContain(callee);
      }
    }
  });

  it('deploys exactly its services with a metrics port on Kubernetes, with its backend URLs', () => {
    const dev = renderOverlay('dev');
    const apps = dev.filter((r) => r.kind === 'Deployment' && JSON.stringify(podSpec(r)?.containers).includes('"name":"metrics"'));
    expect(sorted(apps.map((d) => d.metadata.name))).toEqual(SERVICES_SORTED);
    for (const app of apps) {
      const name = app.metadata.name as (typeof SERVICE_NAMES)[number];
      const env = (podSpec(app)!.containers as { env?: { name: string; value?: string }[] }[])[0]!.env ?? [];
      for (const callee of SERVICES[name].calls) expect(env.find((e) => e.name === BACKEND_URL_ENV[callee])?.value, `${name} → ${callee}`).toContain(callee);
    }
  });
});
