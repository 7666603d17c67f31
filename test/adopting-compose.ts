/**
 * The guide's compose steps, checked by their inputs (no container engine here): the stack file
 * it starts, the service file it has the reader write (merged into deploy/compose.yaml as Compose
 * would run them side by side, and given to `docker-compose config` when installed), and the
 * shipped Prometheus' own relabelling of the container's Docker labels, run by a real Prometheus
 * against the running app.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, globSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { expect } from 'vitest';
import { parse, stringify } from 'yaml';
import { CONTAINERS } from '@periscope/stack';
import { startPrometheus } from '../tools/testing/prometheus.ts';
import { waitFor } from '../tools/testing/wait.ts';
import { ROOT } from './adopting-guide.ts';

interface ComposeService {
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  labels?: Record<string, string>;
  networks?: string[];
  ports?: string[];
  volumes?: string[];
}
interface ComposeFile {
  name?: string;
  services: Record<string, ComposeService>;
  networks?: Record<string, { name?: string; external?: boolean }>;
}

const STACK = join(ROOT, 'deploy', 'compose.yaml');
const stack = () => parse(readFileSync(STACK, 'utf8')) as ComposeFile;

/** `docker compose -f ~/src/periscope/deploy/compose.yaml up -d`: the repo's stack file. */
export function checkComposeStack(file: string): void {
  expect(file.endsWith('/src/periscope/deploy/compose.yaml'), file).toBe(true);
  expect(readFileSync(file, 'utf8')).toBe(readFileSync(STACK, 'utf8'));
}

/** `docker compose up -d --build` in the service: its compose.yaml, labelled for the stack's discovery. */
export async function checkComposeService(file: string, appPort: number): Promise<void> {
  const own = parse(readFileSync(file, 'utf8')) as ComposeFile;
  const checkout = own.services.checkout!;
  const labels = checkout.labels!;
  expect(Object.keys(labels).sort()).toEqual([CONTAINERS.scrapeLabel, CONTAINERS.serviceLabel, CONTAINERS.teamLabel, CONTAINERS.metricsPortLabel].sort());
  expect(labels[CONTAINERS.scrapeLabel]).toBe('true');
  expect(labels[CONTAINERS.serviceLabel]).toBe('checkout');
  // The metrics port is the one the app listens on: server.js reads PORT, and serves /metrics there.
  expect(labels[CONTAINERS.metricsPortLabel]).toBe(checkout.environment!.PORT);
  // On the stack's network, which Compose names <project>_default.
  const network = checkout.networks![0]!;
  expect(own.networks![network]).toEqual({ name: `${stack().name}_default`, external: true });

  // Compose itself: the service beside the stack (Debian's docker-compose 1.29 predates `name`).
  if (existsSync('/usr/bin/docker-compose')) {
    const { name: _name, ...rest } = stack();
    const merged = { ...rest, services: { ...rest.services, checkout: { ...checkout, build: join(file, '..') } }, networks: own.networks };
    const dir = mkdtempSync(join(tmpdir(), 'periscope-adopting-compose-'));
    try {
      writeFileSync(join(dir, 'compose.yaml'), stringify(merged));
      execFileSync('docker-compose', ['-f', join(dir, 'compose.yaml'), '--project-directory', join(ROOT, 'deploy'), 'config', '-q'], { stdio: 'pipe', env: { ...process.env, GRAFANA_ADMIN_PASSWORD: 'x' } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  // The shipped services job, its docker_sd_configs swapped for a target file with the labels
  // Docker discovery reports for this container (Debian's Prometheus has no Docker engine to
  // ask); the metrics-port label is the port the app runs on here instead of the guide's 8080.
  const prometheusYml = parse(readFileSync(join(ROOT, 'deploy/prometheus/prometheus.yml'), 'utf8')) as { scrape_configs: { job_name: string; docker_sd_configs?: unknown }[] };
  const { docker_sd_configs: _docker, ...job } = prometheusYml.scrape_configs.find((j) => j.job_name === 'services')!;
  const meta: Record<string, string> = {
    __meta_docker_container_name: '/checkout-checkout-1',
    __meta_docker_network_ip: '127.0.0.1',
    __meta_docker_container_label_com_docker_compose_service: 'checkout',
  };
  for (const [key, value] of Object.entries(labels)) meta[`__meta_docker_container_label_${key.replace(/[^a-zA-Z0-9_]/g, '_')}`] = key === CONTAINERS.metricsPortLabel ? String(appPort) : value;
  const dir = mkdtempSync(join(tmpdir(), 'periscope-adopting-docker-sd-'));
  writeFileSync(join(dir, 'docker.json'), JSON.stringify([{ targets: [`127.0.0.1:${checkout.environment!.PORT}`], labels: meta }]));
  const config = { global: { scrape_interval: '1s', evaluation_interval: '1s' }, scrape_configs: [{ ...job, file_sd_configs: [{ files: [join(dir, 'docker.json')] }] }] };
  const prometheus = await startPrometheus({ config: stringify(config) });
  try {
    const query = `${prometheus.url}/api/v1/query?query=${encodeURIComponent('up{job="checkout",team="payments"}')}`;
    await waitFor('the container target up as job checkout, team payments', async () => {
      const body = (await fetch(query).then((r) => r.json())) as { data: { result: { value: [number, string] }[] } };
      return body.data.result.some((r) => r.value[1] === '1');
    }, 30_000, 500);
  } finally {
    await prometheus.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `curl -s -X POST 127.0.0.1:9090/-/reload` for the compose stack: its Prometheus reloads, and loads what the guide wrote. */
export function checkComposeReload(line: string, clone: string): void {
  expect(line).toMatch(/^curl -s -X POST 127\.0\.0\.1:(\d+)\/-\/reload$/);
  const prometheus = stack().services.prometheus!;
  expect(prometheus.ports).toContain(`127.0.0.1:${/:(\d+)\//.exec(line)![1]}:9090`);
  expect(prometheus.command).toContain('--web.enable-lifecycle');
  // The file written into the clone's deploy/prometheus/objectives/ is one of the rule files the
  // container loads: the folder is mounted next to the config, whose rule_files name it.
  const ruleFiles = (parse(readFileSync(join(ROOT, 'deploy/prometheus/prometheus.yml'), 'utf8')) as { rule_files: string[] }).rule_files;
  expect(ruleFiles).toContain('objectives/*.rules.yml');
  expect(prometheus.volumes).toContain('./prometheus/objectives:/etc/prometheus/objectives:ro');
  const written = globSync('deploy/prometheus/objectives/*.rules.yml', { cwd: clone }).filter((f) => !existsSync(join(ROOT, f)));
  expect(written.map((f) => basename(f))).toEqual(['checkout.rules.yml']);
  execFileSync('promtool', ['check', 'rules', join(clone, written[0]!)], { stdio: 'pipe' });
}
