/**
 * deploy/compose.yaml and the repository's Dockerfile: what Compose itself accepts, and that the
 * files, names, ports and URLs the other configs use agree with the services defined here.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { CONTAINERS } from '@periscope/stack';
import { SERVICE_NAMES, SERVICE_PORTS } from '@periscope-demo/shared';
import { COMPONENTS } from '@periscope-demo/launcher';
import { checkAlloy } from './alloy/check.ts';
import { references } from '../k8s/src/alloy-syntax.ts';
import { at } from './helpers/documented-keys.ts';
import { DEPLOY, ROOT, hostPort, readText, readYaml } from './helpers/repo.ts';

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  expose?: string[];
  healthcheck?: { test: string[] };
  labels?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
}

const compose = readYaml<{ name: string; services: Record<string, Service>; volumes: Record<string, unknown> }>('deploy/compose.yaml');
const services = compose.services;
const PUBLISHED = ['frontend', 'grafana', 'prometheus'];

/** Ports a service's container listens on, as declared by `expose` and `ports`. */
function containerPorts(name: string): number[] {
  const s = services[name];
  if (!s) return [];
  const published = (s.ports ?? []).map((p) => Number(p.split(':').at(-1)));
  return [...(s.expose ?? []).map(Number), ...published];
}

/** Why `address` (a URL or host:port) does not reach a service of the file, or undefined when it does. */
function unreachable(address: string): string | undefined {
  const { host, port } = hostPort(address);
  if (!services[host]) return `${address}: no service "${host}"`;
  if (!containerPorts(host).includes(port)) return `${address}: ${host} does not listen on ${port} (${containerPorts(host).join(', ')})`;
  return undefined;
}

function bindMounts(): { service: string; host: string; container: string }[] {
  return Object.entries(services).flatMap(([service, s]) =>
    (s.volumes ?? [])
      .map((v) => v.split(':'))
      .filter(([host]) => host!.startsWith('.') || isAbsolute(host!))
      .map(([host, container]) => ({ service, host: host!, container: container! })),
  );
}

describe('deploy/compose.yaml', () => {
  it.skipIf(!existsSync('/usr/bin/docker-compose'))('is accepted by docker-compose config', () => {
    // Debian's docker-compose (v1.29) predates the top-level `name` of the Compose specification;
    // everything else is validated by it, with the project directory set to deploy/.
    expect(compose.name).toBe('periscope');
    const { name: _name, ...rest } = compose;
    const dir = mkdtempSync(join(tmpdir(), 'periscope-compose-'));
    try {
      const file = join(dir, 'compose.yaml');
      writeFileSync(file, stringify(rest));
      execFileSync('docker-compose', ['-f', file, '--project-directory', DEPLOY, 'config', '-q'], { stdio: 'pipe', env: { ...process.env, GRAFANA_ADMIN_PASSWORD: 'x' } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('defines the demo app and the whole stack', () => {
    expect(Object.keys(services).sort()).toEqual(
      [...SERVICE_NAMES, 'loadgen', 'prometheus', 'alertmanager', 'alert-receiver', 'node-exporter', 'grafana', 'loki', 'alloy', 'tempo'].sort(),
    );
  });

  it('mounts only files and folders that exist in the repository', () => {
    const mounts = bindMounts().filter((m) => m.host.startsWith('.'));
    expect(mounts.length).toBeGreaterThanOrEqual(7);
    for (const m of mounts) expect(existsSync(resolve(DEPLOY, m.host)), `${m.service}: ${m.host}`).toBe(true);
  });

  it('mounts each config where the command reads it', () => {
    for (const [name, s] of Object.entries(services)) {
      for (const arg of s.command ?? []) {
        const path = /^-{1,2}config\.file=(.+)$/.exec(arg)?.[1] ?? (arg.endsWith('.alloy') ? arg : undefined);
        if (path) expect(bindMounts().some((m) => m.service === name && m.container === path), `${name}: ${path}`).toBe(true);
      }
    }
  });

  it('pins every image to a version', () => {
    for (const [name, s] of Object.entries(services)) {
      if (s.build) continue;
      expect(s.image, name).toMatch(/^[a-z0-9./-]+:v?\d+\.\d+\.\d+$/);
    }
  });

  it('publishes only Grafana, Prometheus and the frontend, on 127.0.0.1', () => {
    const published = Object.entries(services).filter(([, s]) => s.ports?.length).map(([n]) => n).sort();
    expect(published).toEqual(PUBLISHED);
    for (const name of PUBLISHED) for (const p of services[name]!.ports!) expect(p).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
  });

  it('health-checks every long-running service, and waits only on services that have a check', () => {
    for (const [name, s] of Object.entries(services)) {
      if (name !== 'loadgen') expect(s.healthcheck?.test, name).toBeDefined();
      for (const [dep, { condition }] of Object.entries(s.depends_on ?? {})) {
        expect(services[dep], `${name} depends on ${dep}`).toBeDefined();
        expect(['service_healthy', 'service_started', 'service_completed_successfully']).toContain(condition);
        if (condition === 'service_healthy') expect(services[dep]!.healthcheck, `${dep} (needed healthy by ${name})`).toBeDefined();
      }
    }
  });

  it('runs each demo service from its own source with its contract port', () => {
    for (const name of SERVICE_NAMES) {
      const s = services[name]!;
      const main = s.command!.find((a) => a.endsWith('main.ts'))!;
      expect(main).toBe(`demo-services/${name}/src/main.ts`);
      expect(existsSync(join(ROOT, main))).toBe(true);
      expect(s.environment![SERVICE_PORTS[name].portEnv]).toBe(String(SERVICE_PORTS[name].port));
      expect(containerPorts(name)).toContain(SERVICE_PORTS[name].port);
      expect(s.environment!.OTEL_SERVICE_NAME).toBe(name);
      expect(JSON.stringify(s.healthcheck!.test)).toContain(`:${SERVICE_PORTS[name].port}/healthz`);
    }
    expect(existsSync(join(ROOT, services.loadgen!.command![1]!))).toBe(true);
  });

  it('sends every service URL to a service and port of this file', () => {
    const urls = Object.values(services).flatMap((s) => Object.entries(s.environment ?? {}).filter(([k]) => /_URL$|_ENDPOINT$/.test(k)).map(([, v]) => v));
    expect(urls.length).toBeGreaterThanOrEqual(6);
    expect(urls.map(unreachable).filter(Boolean)).toEqual([]);
  });

  it('has every static Prometheus scrape target and Alertmanager address in the file', () => {
    const prom = readYaml('deploy/prometheus/prometheus.yml');
    const scrape = (prom.scrape_configs as { static_configs?: { targets: string[] }[] }[]).flatMap((j) => (j.static_configs ?? []).flatMap((c) => c.targets));
    const alerting = (at(prom, 'alerting.alertmanagers') as { static_configs: { targets: string[] }[] }[]).flatMap((a) => a.static_configs.flatMap((c) => c.targets));
    expect(scrape.sort()).toEqual(['alertmanager:9093', 'node-exporter:9100', 'prometheus:9090']);
    expect([...scrape, ...alerting].map(unreachable).filter(Boolean)).toEqual([]);
  });

  it('labels every demo service for scraping, on a port it listens on, and no other container', () => {
    const labelled = Object.entries(services).filter(([, s]) => s.labels?.[CONTAINERS.scrapeLabel] === 'true');
    expect(labelled.map(([name]) => name).sort()).toEqual([...SERVICE_NAMES].sort());
    for (const [name, s] of labelled) {
      const port = Number(s.labels![CONTAINERS.metricsPortLabel]);
      expect(containerPorts(name), name).toContain(port);
      // No own job name: the compose service name is the job, as the alerts and dashboards expect.
      expect(s.labels![CONTAINERS.serviceLabel], name).toBeUndefined();
    }
  });

  it('gives Prometheus the Docker socket, read-only, for discovery', () => {
    expect(services.prometheus!.volumes).toContain('/var/run/docker.sock:/var/run/docker.sock:ro');
  });

  it('has every Grafana datasource URL in the file', () => {
    const ds = readYaml<{ datasources: { url: string }[] }>('deploy/grafana/provisioning/datasources/periscope.yml');
    expect(ds.datasources.map((d) => d.url).sort()).toEqual(['http://loki:3100', 'http://prometheus:9090', 'http://tempo:3200']);
    expect(ds.datasources.map((d) => unreachable(d.url)).filter(Boolean)).toEqual([]);
  });

  it("has every address of Alloy's and Tempo's configs in the file, and Alloy listening where services send", () => {
    const alloySource = readText('deploy/alloy/config.alloy');
    const urls = checkAlloy(alloySource).components.flatMap(({ block }) =>
      block.blocks.flatMap((b) => [...b.attributes, ...b.blocks.flatMap((x) => x.attributes)]).filter((a) => a.name === 'url' || a.name === 'endpoint'),
    );
    const outbound = urls.map((a) => a.tokens[0]!.value!).filter((v) => !v.startsWith('0.0.0.0'));
    expect(outbound.sort()).toEqual(['http://loki:3100/loki/api/v1/push', 'tempo:4317']);
    expect(outbound.map(unreachable).filter(Boolean)).toEqual([]);
    expect(references(urls[0]!.tokens)).toEqual([]);
    const tempo = readYaml('deploy/tempo/tempo.yaml');
    const remoteWrite = (at(tempo, 'metrics_generator.storage.remote_write') as { url: string }[]).map((r) => r.url);
    expect(remoteWrite.map(unreachable).filter(Boolean)).toEqual([]);
    expect(services.prometheus!.command).toContain('--web.enable-remote-write-receiver');
    expect(containerPorts('alloy')).toEqual(expect.arrayContaining([1514, 4317, 4318]));
  });

  it("delivers every Alertmanager webhook to the demo's receiver, which shares Alertmanager's network namespace", () => {
    const am = readYaml<{ receivers: { name: string; webhook_configs?: { url: string }[] }[] }>('deploy/alertmanager/alertmanager.yml');
    const hooks = am.receivers.flatMap((r) => (r.webhook_configs ?? []).map((w) => new URL(w.url)));
    expect(hooks.length).toBeGreaterThanOrEqual(2);
    const receiver = services['alert-receiver']!;
    expect((receiver as { network_mode?: string }).network_mode).toBe('service:alertmanager');
    expect(receiver.command).toEqual(['node', 'demo-services/launcher/src/receiver.ts']);
    expect(existsSync(join(ROOT, receiver.command![1]!))).toBe(true);
    for (const url of hooks) {
      // 127.0.0.1 inside Alertmanager's namespace is the receiver, on its default port
      expect(url.hostname).toBe('127.0.0.1');
      expect(Number(url.port)).toBe(COMPONENTS.receiver.port);
    }
    expect(receiver.environment?.[COMPONENTS.receiver.env]).toBeUndefined();
    expect(JSON.stringify(receiver.healthcheck!.test)).toContain(`127.0.0.1:${COMPONENTS.receiver.port}/`);
  });

  it('documents a fault command for every demo service that runs a file of the image', () => {
    const header = readText('deploy/compose.yaml').split('\nname:')[0]!;
    const commands = [...header.matchAll(/exec (\S+) node (\S+) (\S+) /g)];
    expect(commands.length).toBeGreaterThan(0);
    for (const [, service, script, target] of commands) {
      // the admin API listens on 127.0.0.1 of the service's own container: run it there
      expect(service).toBe(target);
      expect(SERVICE_NAMES).toContain(service);
      expect(services[service!]!.build).toBeDefined();
      expect(existsSync(join(ROOT, script!))).toBe(true);
    }
  });

  it('keeps exemplars and collects only this project: Prometheus flag and Alloy project filter', () => {
    expect(services.prometheus!.command).toContain('--enable-feature=exemplar-storage');
    expect(readText('deploy/alloy/config.alloy')).toContain(`regex         = "${compose.name}"`);
    expect(services.alloy!.volumes).toContain('/var/run/docker.sock:/var/run/docker.sock:ro');
  });
});

describe('Dockerfile', () => {
  const dockerfile = readText('Dockerfile');

  it('builds in one stage and runs the services from a slim Node 22 image as an unprivileged user', () => {
    const froms = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(froms).toEqual(['node:${NODE_VERSION}-slim', 'node:${NODE_VERSION}-slim']);
    expect(dockerfile).toMatch(/^ARG NODE_VERSION=22\.\d+\.\d+$/m);
    expect(dockerfile).toMatch(/RUN npm ci && npm run build/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toContain('node demo-services/${SERVICE}/src/main.ts');
  });

  it('keeps dependencies and build output out of the build context', () => {
    const ignored = readText('.dockerignore').split('\n');
    for (const entry of ['**/node_modules', '**/dist', '.git']) expect(ignored).toContain(entry);
  });
});
