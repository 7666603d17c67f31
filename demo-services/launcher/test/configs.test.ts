import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { deriveAlertmanagerConfig } from '../src/alertmanager-config.ts';
import { ALERTMANAGER_SOURCE, PROMETHEUS_SOURCE, REPO_ROOT } from '../src/paths.ts';
import { derivePrometheusConfig } from '../src/prometheus-config.ts';

const targets = {
  frontend: '127.0.0.1:18080',
  users: '127.0.0.1:18081',
  thoughts: '127.0.0.1:18082',
  node: '127.0.0.1:19100',
  prometheus: '127.0.0.1:19090',
  alertmanager: '127.0.0.1:19093',
};
type Job = { job_name: string; static_configs: Array<{ targets: string[] }> };

describe('the derived Prometheus config', () => {
  const sourceText = readFileSync(PROMETHEUS_SOURCE, 'utf8');
  const sourceDir = path.dirname(PROMETHEUS_SOURCE);

  it("moves every job of deploy/prometheus/prometheus.local.yml to its component's port", () => {
    const { config, foreignJobs } = derivePrometheusConfig({ sourceText, sourceDir, targets, alertmanager: targets.alertmanager });
    const jobs = config.scrape_configs as Job[];
    expect(Object.fromEntries(jobs.map((j) => [j.job_name, j.static_configs[0]!.targets]))).toEqual(
      Object.fromEntries(Object.entries(targets).map(([job, target]) => [job, [target]])),
    );
    expect(foreignJobs).toEqual([]);
    expect(config.alerting).toEqual({ alertmanagers: [{ static_configs: [{ targets: ['127.0.0.1:19093'] }] }] });
  });

  it('makes rule files absolute, relative to the source config', () => {
    const { config } = derivePrometheusConfig({ sourceText, sourceDir, targets });
    expect(config.rule_files).toEqual([path.join(REPO_ROOT, 'alerts/*.rules.yml')]);
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
    expect((config.scrape_configs as Job[]).map((j) => j.job_name)).not.toContain('node');
  });

  it('reports jobs it does not run and adds jobs missing from the source', () => {
    const extra = `${sourceText}\n  - job_name: billing\n    static_configs: [{ targets: ['127.0.0.1:7000'] }]\n`;
    const { config, foreignJobs } = derivePrometheusConfig({ sourceText: extra, sourceDir, targets: { ...targets, loadgen: '127.0.0.1:1' } });
    expect(foreignJobs).toEqual(['billing']);
    expect((config.scrape_configs as Job[]).find((j) => j.job_name === 'loadgen')?.static_configs[0]!.targets).toEqual(['127.0.0.1:1']);
  });

  it('has a built-in config with the same jobs when the deploy file is absent', () => {
    const { config } = derivePrometheusConfig({ sourceDir, targets });
    expect((config.scrape_configs as Job[]).map((j) => j.job_name).sort()).toEqual(Object.keys(targets).sort());
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
