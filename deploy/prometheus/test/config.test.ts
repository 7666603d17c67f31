import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { JOBS } from '../../../alerts/config.ts';
import { runTool } from '../../../alerts/lib/exec.ts';
import type { LoopbackServer } from '../../../tools/testing/process.ts';
import { startPrometheus } from '../../../tools/testing/prometheus.ts';
import { ruleFilePaths } from '../../../alerts/lib/rules.ts';

const DIR = fileURLToPath(new URL('..', import.meta.url));
const CONFIGS = { container: join(DIR, 'prometheus.yml'), local: join(DIR, 'prometheus.local.yml') };

interface Config {
  global: { scrape_interval: string; evaluation_interval: string };
  rule_files: string[];
  alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
  scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
}

const read = (path: string) => parse(readFileSync(path, 'utf8')) as Config;
const targets = (config: Config) => Object.fromEntries(config.scrape_configs.map((job) => [job.job_name, job.static_configs.flatMap((s) => s.targets)]));
const JOB_NAMES = [...JOBS.services, JOBS.node, JOBS.prometheus, JOBS.alertmanager];

describe('Prometheus configuration', () => {
  it.each(Object.entries(CONFIGS))('promtool accepts the %s config and finds every rule file', async (_kind, path) => {
    const result = await runTool('promtool', ['check', 'config', path], { cwd: DIR });
    const output = result.stdout + result.stderr;
    expect(result.code, output).toBe(0);
    expect(output).toContain(`SUCCESS: ${ruleFilePaths().length} rule files found`);
    for (const file of ruleFilePaths()) expect(output).toMatch(new RegExp(`Checking \\S*alerts/${basename(file)}\\s+SUCCESS`));
    expect(output).not.toMatch(/FAILED|WARNING/);
  });

  // job → [compose service name, default port]
  const DEFAULT_TARGETS: Record<string, [string, number]> = {
    frontend: ['frontend', 8080],
    users: ['users', 8081],
    thoughts: ['thoughts', 8082],
    node: ['node-exporter', 9100],
    prometheus: ['prometheus', 9090],
    alertmanager: ['alertmanager', 9093],
  };
  const expected = (host: (service: string) => string) =>
    Object.fromEntries(Object.entries(DEFAULT_TARGETS).map(([job, [service, port]]) => [job, [`${host(service)}:${port}`]]));

  it('scrapes the compose services by name in the container config', () => {
    expect(targets(read(CONFIGS.container))).toEqual(expected((service) => service));
  });

  it('scrapes one loopback target per job on the default ports in the local config', () => {
    expect(targets(read(CONFIGS.local))).toEqual(expected(() => '127.0.0.1'));
  });

  it.each(Object.entries(CONFIGS))('the %s config has the same jobs, rules, 15s interval and alerting', (_kind, path) => {
    const config = read(path);
    expect(config.scrape_configs.map((job) => job.job_name).sort()).toEqual([...JOB_NAMES].sort());
    expect(config.global.scrape_interval).toBe('15s');
    expect(config.global.evaluation_interval).toBe('15s');
    expect(config.rule_files).toEqual(['../../alerts/*.rules.yml']);
    expect(config.alerting.alertmanagers[0]!.static_configs[0]!.targets).toEqual(targets(config).alertmanager);
    expect(readFileSync(path, 'utf8')).toContain('--enable-feature=exemplar-storage');
  });

  it('differs between container and local only in the targets', () => {
    const strip = (config: Config) =>
      JSON.stringify({
        ...config,
        alerting: null,
        scrape_configs: config.scrape_configs.map((job) => ({ ...job, static_configs: null })),
      });
    expect(strip(read(CONFIGS.local))).toBe(strip(read(CONFIGS.container)));
  });
});

describe('Prometheus running the local config', () => {
  let prometheus: LoopbackServer;
  let base: string;

  beforeAll(async () => {
    prometheus = await startPrometheus({ configFile: CONFIGS.local, exemplars: true });
    base = prometheus.url;
  });

  afterAll(async () => {
    await prometheus?.stop();
  });

  it('loads every rule group and turns exemplar storage on', async () => {
    const rules = (await (await fetch(`${base}/api/v1/rules`)).json()) as { data: { groups: { name: string; file: string }[] } };
    const files = new Set(rules.data.groups.map((g) => basename(g.file)));
    expect([...files].sort()).toEqual(ruleFilePaths().map((f) => basename(f)));
    const flags = (await (await fetch(`${base}/api/v1/status/flags`)).json()) as { data: Record<string, string> };
    expect(flags.data['enable-feature']).toContain('exemplar-storage');
    // target discovery runs just after start-up: poll for a bounded time
    let jobs: string[] = [];
    for (let attempt = 0; attempt < 50 && jobs.length < JOB_NAMES.length; attempt++) {
      const response = (await (await fetch(`${base}/api/v1/targets`)).json()) as { data: { activeTargets: { labels: { job: string } }[] } };
      jobs = response.data.activeTargets.map((t) => t.labels.job).sort();
      if (jobs.length < JOB_NAMES.length) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(jobs).toEqual([...JOB_NAMES].sort());
  });
});
