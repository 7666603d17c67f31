import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { FILE_SD, RUNBOOK_BASE_LABEL } from '@periscope/stack';
import { deriveAlertmanagerConfig } from '../src/alertmanager-config.ts';
import { ALERTMANAGER_SOURCE, PROMETHEUS_SOURCE, REPO_ROOT } from '../src/paths.ts';
import { derivePrometheusConfig } from '../src/prometheus-config.ts';

/** The stack's own components: static jobs. The services come from the target files. */
const targets = {
  node: '127.0.0.1:19100',
  prometheus: '127.0.0.1:19090',
  alertmanager: '127.0.0.1:19093',
};
const targetsDir = '/tmp/periscope-state/targets';
type Job = { job_name: string; static_configs?: Array<{ targets: string[] }>; file_sd_configs?: Array<{ files: string[]; refresh_interval: string }> };
const jobsOf = (config: Record<string, unknown>) => config.scrape_configs as Job[];
const staticTargets = (config: Record<string, unknown>) =>
  Object.fromEntries(jobsOf(config).filter((j) => j.static_configs).map((j) => [j.job_name, j.static_configs![0]!.targets]));

describe('the derived Prometheus config', () => {
  const sourceText = readFileSync(PROMETHEUS_SOURCE, 'utf8');
  const sourceDir = path.dirname(PROMETHEUS_SOURCE);

  it("moves every static job of deploy/prometheus/prometheus.local.yml to its component's port", () => {
    const { config, foreignJobs } = derivePrometheusConfig({ sourceText, sourceDir, targets, targetsDir, alertmanager: targets.alertmanager });
    expect(staticTargets(config)).toEqual(Object.fromEntries(Object.entries(targets).map(([job, target]) => [job, [target]])));
    expect(foreignJobs).toEqual([]);
    expect(config.alerting).toEqual({ alertmanagers: [{ static_configs: [{ targets: ['127.0.0.1:19093'] }] }] });
  });

  it(`reads the services from the target files of the targets folder, in one ${FILE_SD.jobName} job`, () => {
    const { config } = derivePrometheusConfig({ sourceText, sourceDir, targets, targetsDir });
    const services = jobsOf(config).filter((j) => j.file_sd_configs);
    expect(services).toEqual([
      { job_name: FILE_SD.jobName, file_sd_configs: [{ files: [path.join(targetsDir, '*.json')], refresh_interval: FILE_SD.refreshInterval }] },
    ]);
    expect(jobsOf(config).map((j) => j.job_name).sort()).toEqual([FILE_SD.jobName, ...Object.keys(targets)].sort());
  });

  it('without a targets folder, reads the target files the source names (relative to it) and reports the job as foreign', () => {
    const { config, foreignJobs } = derivePrometheusConfig({ sourceText, sourceDir, targets });
    const services = jobsOf(config).find((j) => j.job_name === FILE_SD.jobName)!;
    expect(services.file_sd_configs![0]!.files).toEqual([path.join(REPO_ROOT, '.periscope/targets/*.json')]);
    expect(foreignJobs).toEqual([FILE_SD.jobName]);
  });

  it('sets the external labels it is given, keeping those of the source', () => {
    const withLabel = sourceText.replace('global:\n', 'global:\n  external_labels: { site: local }\n');
    const { config } = derivePrometheusConfig({ sourceText: withLabel, sourceDir, targets, externalLabels: { [RUNBOOK_BASE_LABEL]: 'http://127.0.0.1:9099/runbooks/' } });
    expect((config.global as { external_labels: Record<string, string> }).external_labels).toEqual({ site: 'local', [RUNBOOK_BASE_LABEL]: 'http://127.0.0.1:9099/runbooks/' });
    expect(derivePrometheusConfig({ sourceText, sourceDir, targets }).config.global).not.toHaveProperty('external_labels');
  });

  it('makes rule files absolute, relative to the source config', () => {
    const { config } = derivePrometheusConfig({ sourceText, sourceDir, targets });
    expect(config.rule_files).toEqual([path.join(REPO_ROOT, 'alerts/*.rules.yml'), path.join(REPO_ROOT, 'demo-services/slo.rules.yml'), path.join(REPO_ROOT, 'deploy/prometheus/objectives/*.rules.yml')]);
    expect(config.alerting).toBeUndefined();
  });

  it('applies overrides: rule files, intervals (timeout follows the interval) and dropped jobs', () => {
    const { config } = derivePrometheusConfig({
      sourceText,
      sourceDir,
      targets,
      ruleFiles: ['/tmp/x.rules.yml'],
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      dropJobs: ['node'],
    });
    expect(config.rule_files).toEqual(['/tmp/x.rules.yml']);
    expect(config.global).toMatchObject({ scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' });
    expect(jobsOf(config).map((j) => j.job_name)).not.toContain('node');
  });

  it('reports static jobs it does not run and adds static jobs missing from the source', () => {
    const extra = `${sourceText}\n  - job_name: billing\n    static_configs: [{ targets: ['127.0.0.1:7000'] }]\n`;
    const { config, foreignJobs } = derivePrometheusConfig({ sourceText: extra, sourceDir, targetsDir, targets: { ...targets, loadgen: '127.0.0.1:1' } });
    expect(foreignJobs).toEqual(['billing']);
    expect(staticTargets(config).loadgen).toEqual(['127.0.0.1:1']);
  });

  it('has a built-in config with the same jobs when the deploy file is absent', () => {
    const { config } = derivePrometheusConfig({ sourceDir, targets, targetsDir });
    expect(jobsOf(config).map((j) => j.job_name).sort()).toEqual([FILE_SD.jobName, ...Object.keys(targets)].sort());
    expect(jobsOf(config).find((j) => j.job_name === FILE_SD.jobName)!.file_sd_configs![0]!.files).toEqual([path.join(targetsDir, '*.json')]);
  });
});

describe('the derived Alertmanager config', () => {
  const sourceText = readFileSync(ALERTMANAGER_SOURCE, 'utf8');

  it("points every local webhook at the receiver's port, keeping its path", () => {
    const config = deriveAlertmanagerConfig({ sourceText, receiverUrl: 'http://127.0.0.1:40000' });
    const urls = (config.receivers as Array<{ webhook_configs: Array<{ url: string }> }>).flatMap((r) => r.webhook_configs.map((w) => w.url));
    expect(urls.sort()).toEqual(['http://127.0.0.1:40000/paging', 'http://127.0.0.1:40000/team']);
  });

  it('shortens the timings of the root route and of child routes that set their own', () => {
    const config = deriveAlertmanagerConfig({ sourceText, receiverUrl: 'http://127.0.0.1:1', timing: { group_wait: '1s', repeat_interval: '1m' } });
    const route = config.route as { group_wait: string; repeat_interval: string; routes: Array<Record<string, unknown>> };
    expect(route.group_wait).toBe('1s');
    expect(route.repeat_interval).toBe('1m');
    // The paging route sets its own group_wait and repeat_interval: both are shortened too.
    expect(route.routes.some((child) => 'group_wait' in child)).toBe(true);
    for (const child of route.routes) {
      if ('group_wait' in child) expect(child.group_wait).toBe('1s');
      if ('repeat_interval' in child) expect(child.repeat_interval).toBe('1m');
    }
  });

  it('leaves webhooks that point elsewhere alone', () => {
    const text = 'route: { receiver: x }\nreceivers: [{ name: x, webhook_configs: [{ url: "https://pager.example/hook" }] }]';
    const config = deriveAlertmanagerConfig({ sourceText: text, receiverUrl: 'http://127.0.0.1:1' });
    expect(parse(JSON.stringify(config)).receivers[0].webhook_configs[0].url).toBe('https://pager.example/hook');
  });
});
