/**
 * The demo's topology (@periscope-demo/shared) is the one list of its services: every place that
 * names them — the launcher, the declared SLOs, the compose file, the Kubernetes apps — names exactly
 * those, with the topology's ports and calls, and each carries the discovery labels. The
 * Prometheus configs and the dashboards name none: Prometheus finds services by convention
 * (target files, container and pod labels), and the dashboards' service variable asks Prometheus.
 */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { CONTAINERS, KUBERNETES } from '@periscope/stack';
import { BACKEND_URL_ENV, LOOPBACK, SERVICE_NAMES, SERVICES } from '@periscope-demo/shared';
import { COMPONENTS, derivePrometheusConfig } from '@periscope-demo/launcher';
import { JOBS } from '../../alerts/config.ts';
import { buildAll } from '../grafana/src/dashboards/index.ts';
import { renderOverlay } from '../k8s/test/helpers.ts';
import { podSpec, podTemplate } from '../k8s/src/resources.ts';

const file = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const yaml = <T>(path: string) => parse(readFileSync(file(path), 'utf8'), { merge: true }) as T;
/** The fields of an OpenSLO document this test reads. */
interface OpenSlo { spec: { service: string; indicatorRef: string; objectives: { target: number; value?: number }[] } }
const sorted = (names: Iterable<string>) => [...names].sort();
const SERVICES_SORTED = sorted(SERVICE_NAMES);
/** Jobs of the monitoring stack itself, not demo services. */
const INFRA_JOBS: readonly string[] = [JOBS.node, JOBS.prometheus, JOBS.alertmanager];

interface PromConfig { scrape_configs: { job_name: string; static_configs?: { targets: string[] }[] }[] }
/** Jobs a config lists by name, other than the stack's components. */
const namedJobs = (config: PromConfig) => config.scrape_configs.filter((s) => s.static_configs).map((s) => s.job_name).filter((job) => !INFRA_JOBS.includes(job));

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

  it("is the launcher's list of service components", () => {
    const launcherServices = Object.values(COMPONENTS).filter((c) => c.job && !INFRA_JOBS.includes(c.job));
    expect(sorted(launcherServices.map((c) => c.job!))).toEqual(SERVICES_SORTED);
  });

  it('is named by neither committed Prometheus config, nor by the config the launcher renders', () => {
    const local = yaml<PromConfig>('../prometheus/prometheus.local.yml');
    const container = yaml<PromConfig>('../prometheus/prometheus.yml');
    const path = file('../prometheus/prometheus.local.yml');
    const targets = { node: `${LOOPBACK}:40000`, prometheus: `${LOOPBACK}:40001`, alertmanager: `${LOOPBACK}:40002` };
    const { config } = derivePrometheusConfig({ sourceText: readFileSync(path, 'utf8'), sourceDir: dirname(path), targets, targetsDir: '/tmp/targets' });
    for (const prometheus of [local, container, config as unknown as PromConfig]) {
      expect(namedJobs(prometheus)).toEqual([]);
      for (const name of SERVICE_NAMES) expect(JSON.stringify(prometheus)).not.toMatch(new RegExp(`\\b${name}\\b`));
    }
  });

  it('declares an availability and a latency SLO for exactly its services, each in its own OpenSLO file, rendered into demo-services/slo.rules.yml', () => {
    const rules = yaml<{ groups: { rules: { record?: string; expr: string; labels?: Record<string, string> }[] }[] }>('../../demo-services/slo.rules.yml');
    const objectives = rules.groups.flatMap((g) => g.rules).filter((r) => r.record === 'job:slo_objective_declared:ratio');
    const got = objectives.map((r) => `${r.labels!.job}/${r.labels!.sli}=${Number(/^vector\((.+)\)$/.exec(r.expr)?.[1])}${r.labels!.le ? ` le=${r.labels!.le}` : ''}`).sort();
    const want = SERVICE_NAMES.flatMap((name) => {
      const docs = parseAllDocuments(readFileSync(file(`../../demo-services/${name}/slo.yaml`), 'utf8')).map((d) => d.toJS() as OpenSlo);
      return docs.map(({ spec }) => {
        expect(spec.service).toBe(name);
        const [objective] = spec.objectives;
        const sli = spec.indicatorRef.replace('periscope-', '');
        return `${name}/${sli}=${objective!.target}${objective!.value === undefined ? '' : ` le=${objective!.value}`}`;
      });
    }).sort();
    expect(got).toEqual(want);
    expect(new Set(got.map((g) => g.split('/')[0]))).toEqual(new Set(SERVICE_NAMES));
    expect(got).toHaveLength(SERVICE_NAMES.length * 2);
  });

  it('is named on no dashboard: their service pickers ask Prometheus', () => {
    for (const dashboard of buildAll().values()) {
      const text = JSON.stringify(dashboard);
      for (const name of SERVICE_NAMES) expect(text, `${dashboard.uid} names ${name}`).not.toMatch(new RegExp(`\\b${name}\\b`));
      // The service picker asks Prometheus which jobs report a build, so a new service appears by itself.
      const service = dashboard.templating.list.find((v) => v.name === 'service');
      if (service) expect(service.type).toBe('query');
    }
  });

  it('runs exactly its services (and loadgen and the alert receiver) from the demo image in compose, with its ports, backend URLs, start order and scrape labels', () => {
    interface ComposeService { image?: string; environment?: Record<string, string>; depends_on?: Record<string, unknown>; labels?: Record<string, string> }
    const compose = yaml<{ services: Record<string, ComposeService> }>('../compose.yaml');
    const demo = Object.entries(compose.services).filter(([, s]) => s.image === 'periscope-demo:local').map(([name]) => name);
    expect(sorted(demo)).toEqual(sorted([...SERVICE_NAMES, 'loadgen', 'alert-receiver']));
    for (const name of SERVICE_NAMES) {
      const service = compose.services[name]!;
      expect(service.environment![SERVICES[name].portEnv]).toBe(String(SERVICES[name].port));
      // No PERISCOPE_METRICS_PORT in compose: /metrics is served on the public port.
      expect(service.labels).toMatchObject({ [CONTAINERS.scrapeLabel]: 'true', [CONTAINERS.metricsPortLabel]: String(SERVICES[name].port) });
      for (const callee of SERVICES[name].calls) {
        expect(service.environment![BACKEND_URL_ENV[callee]]).toBe(`http://${callee}:${SERVICES[callee].port}`);
        expect(Object.keys(service.depends_on ?? {})).toContain(callee);
      }
    }
  });

  it('deploys exactly its services with a metrics port on Kubernetes, with its backend URLs and the scrape label', () => {
    const dev = renderOverlay('dev');
    const apps = dev.filter((r) => r.kind === 'Deployment' && JSON.stringify(podSpec(r)?.containers).includes('"name":"metrics"'));
    expect(sorted(apps.map((d) => d.metadata.name))).toEqual(SERVICES_SORTED);
    for (const app of apps) {
      const name = app.metadata.name as (typeof SERVICE_NAMES)[number];
      const labels = (podTemplate(app)!.metadata as { labels: Record<string, string> }).labels;
      expect(labels).toMatchObject({ [KUBERNETES.scrapeLabel]: 'true', [KUBERNETES.serviceLabel]: name });
      const env = (podSpec(app)!.containers as { env?: { name: string; value?: string }[] }[])[0]!.env ?? [];
      for (const callee of SERVICES[name].calls) expect(env.find((e) => e.name === BACKEND_URL_ENV[callee])?.value, `${name} → ${callee}`).toContain(callee);
    }
  });
});
