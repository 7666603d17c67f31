import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { CONTAINERS, FILE_SD } from '@periscope/stack';
import { JOBS } from '../../../alerts/config.ts';
import { runTool } from '../../../alerts/lib/exec.ts';
import { ruleFilePaths } from '../../../alerts/lib/rules.ts';

const DIR = fileURLToPath(new URL('..', import.meta.url));
const CONFIGS = { container: join(DIR, 'prometheus.yml'), local: join(DIR, 'prometheus.local.yml') };

interface Job {
  job_name: string;
  static_configs?: { targets: string[] }[];
  file_sd_configs?: { files: string[]; refresh_interval: string }[];
  docker_sd_configs?: { host: string; filters: { name: string; values: string[] }[] }[];
  relabel_configs?: { source_labels?: string[]; target_label?: string; action?: string }[];
}
interface Config {
  global: { scrape_interval: string; evaluation_interval: string };
  rule_files: string[];
  alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
  scrape_configs: Job[];
}

const read = (path: string) => parse(readFileSync(path, 'utf8')) as Config;
const staticTargets = (config: Config) =>
  Object.fromEntries(config.scrape_configs.filter((job) => job.static_configs).map((job) => [job.job_name, job.static_configs!.flatMap((s) => s.targets)]));
const servicesJob = (config: Config) => config.scrape_configs.find((job) => job.job_name === FILE_SD.jobName);
/** The meta label Docker discovery gives a container label. */
const dockerLabel = (name: string) => `__meta_docker_container_label_${name.replace(/[^a-zA-Z0-9_]/g, '_')}`;
const COMPONENT_JOB_NAMES = [JOBS.node, JOBS.prometheus, JOBS.alertmanager];
/** The rule files each config loads: the stack's, and the objectives the demo's services declare. */
const SHIPPED_RULES = '../../alerts/*.rules.yml';
const DEMO_OBJECTIVES = '../../demo-services/slo.rules.yml';
const TEAM_OBJECTIVES = 'objectives/*.rules.yml';
const RULE_FILES = { container: [SHIPPED_RULES, DEMO_OBJECTIVES, TEAM_OBJECTIVES], local: [SHIPPED_RULES, DEMO_OBJECTIVES, TEAM_OBJECTIVES] };

describe('Prometheus configuration', () => {
  it.each(Object.entries(CONFIGS))('promtool accepts the %s config and finds every rule file', async (_kind, path) => {
    const result = await runTool('promtool', ['check', 'config', path], { cwd: DIR });
    // The local config's target files exist only while the demo (or a test) runs.
    const noTargetsYet = /\s*WARNING: file "[^"]*\.periscope\/targets\/\*\.json" for file_sd in scrape job "services" does not exist/;
    const output = (result.stdout + result.stderr).replace(noTargetsYet, '');
    expect(result.code, output).toBe(0);
    const files = ruleFilePaths().length + 1;
    expect(output).toContain(`SUCCESS: ${files} rule files found`);
    for (const file of ruleFilePaths()) expect(output).toMatch(new RegExp(`Checking \\S*alerts/${basename(file)}\\s+SUCCESS`));
    expect(output).not.toMatch(/FAILED|WARNING/);
  });

  // job → [compose service name, default port]: the stack's own components, scraped by a static job.
  const COMPONENT_TARGETS: Record<string, [string, number]> = {
    node: ['node-exporter', 9100],
    prometheus: ['prometheus', 9090],
    alertmanager: ['alertmanager', 9093],
  };
  const expected = (host: (service: string) => string) =>
    Object.fromEntries(Object.entries(COMPONENT_TARGETS).map(([job, [service, port]]) => [job, [`${host(service)}:${port}`]]));

  it('scrapes the components by compose service name, and no service by a static job, in the container config', () => {
    expect(staticTargets(read(CONFIGS.container))).toEqual(expected((service) => service));
  });

  it('scrapes the components on the loopback interface, and no service by a static job, in the local config', () => {
    expect(staticTargets(read(CONFIGS.local))).toEqual(expected(() => '127.0.0.1'));
  });

  it(`finds the services in the container config by the container label ${CONTAINERS.scrapeLabel}=true, through the read-only Docker socket`, () => {
    const job = servicesJob(read(CONFIGS.container))!;
    expect(job.docker_sd_configs).toHaveLength(1);
    expect(job.docker_sd_configs![0]).toMatchObject({ host: 'unix:///var/run/docker.sock', filters: [{ name: 'label', values: [`${CONTAINERS.scrapeLabel}=true`] }] });
    const sources = (job.relabel_configs ?? []).flatMap((r) => r.source_labels ?? []);
    for (const label of [CONTAINERS.metricsPortLabel, CONTAINERS.serviceLabel, CONTAINERS.teamLabel, 'com.docker.compose.service']) expect(sources).toContain(dockerLabel(label));
    expect((job.relabel_configs ?? []).map((r) => r.target_label).filter(Boolean)).toEqual(['__address__', 'job', 'job', 'job', 'team']);
  });

  it(`finds the services in the local config in the target files of .periscope/targets/, every ${FILE_SD.refreshInterval}`, () => {
    expect(servicesJob(read(CONFIGS.local))).toEqual({
      job_name: FILE_SD.jobName,
      file_sd_configs: [{ files: [`../../.periscope/targets/${FILE_SD.pattern}`], refresh_interval: FILE_SD.refreshInterval }],
    });
  });

  it.each(Object.entries(CONFIGS))('the %s config has the same jobs, rules, 15s interval and alerting', (kind, path) => {
    const config = read(path);
    expect(config.scrape_configs.map((job) => job.job_name).sort()).toEqual([FILE_SD.jobName, ...COMPONENT_JOB_NAMES].sort());
    expect(config.global.scrape_interval).toBe('15s');
    expect(config.global.evaluation_interval).toBe('15s');
    expect(config.rule_files).toEqual(RULE_FILES[kind as keyof typeof RULE_FILES]);
    expect(config.alerting.alertmanagers[0]!.static_configs[0]!.targets).toEqual(staticTargets(config).alertmanager);
    expect(readFileSync(path, 'utf8')).toContain('--enable-feature=exemplar-storage');
  });

  it('differs between container and local only in the targets and how services are discovered', () => {
    const strip = (config: Config) =>
      JSON.stringify({
        ...config,
        alerting: null,
        scrape_configs: config.scrape_configs.map((job) => ({ job_name: job.job_name })),
      });
    expect(strip(read(CONFIGS.local))).toBe(strip(read(CONFIGS.container)));
  });
});
