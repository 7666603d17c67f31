/**
 * The scrape config for clusters without the Operator: promtool accepts it, and the real
 * Prometheus, fed the targets Kubernetes discovery would report for the dev overlay, scrapes each
 * demo service once, on its metrics port, with job = service name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { K8S_DIR, renderOverlay, startPrometheus, tempTree, waitFor } from './helpers.ts';
import type { RunningPrometheus } from './helpers.ts';
import { podTargetGroups } from './kubernetes-sd.ts';
import { METRICS_PATH } from '@periscope/instrument';
import { PATHS, REPO_ROOT } from '../src/sources.ts';
import { podSpec } from '../src/kustomize/select.ts';

const CONFIG = join(K8S_DIR, 'prometheus', 'prometheus.yml');
/** Where the config expects the rule files (a ConfigMap of alerts/*.rules.yml). */
const RULES_MOUNT = '/etc/prometheus/rules';

interface ScrapeConfig {
  job_name: string;
  kubernetes_sd_configs?: unknown[];
  file_sd_configs?: unknown[];
}

/**
 * Debian's Prometheus is built without Kubernetes discovery, so each kubernetes_sd_configs is
 * swapped for a file_sd_configs reading `targetsFile`; everything else is checked as written.
 */
function withFileDiscovery(text: string, targetsFile: string): string {
  const config = parse(text) as { scrape_configs: ScrapeConfig[]; rule_files?: string[] };
  for (const scrape of config.scrape_configs) {
    if (!scrape.kubernetes_sd_configs) continue;
    delete scrape.kubernetes_sd_configs;
    scrape.file_sd_configs = [{ files: [targetsFile], refresh_interval: '5s' }];
  }
  config.rule_files = (config.rule_files ?? []).map((glob) => glob.replace(RULES_MOUNT, join(REPO_ROOT, PATHS.rulesDir)));
  return stringify(config);
}

interface ApiTarget {
  labels: Record<string, string>;
  scrapeUrl: string;
}

describe('prometheus/prometheus.yml (clusters without the Operator)', () => {
  const dev = renderOverlay('dev');
  // The demo services: Deployments with a port named metrics (loadgen, a client, has none).
  const demo = dev.filter((r) => r.kind === 'Deployment' && JSON.stringify(podSpec(r)?.containers).includes('"name":"metrics"'));
  const dir = tempTree({ 'targets.json': JSON.stringify(podTargetGroups(dev)) });
  const config = join(dir, 'prometheus.yml');
  writeFileSync(config, withFileDiscovery(readFileSync(CONFIG, 'utf8'), join(dir, 'targets.json')));
  let prometheus: RunningPrometheus;

  beforeAll(async () => {
    prometheus = await startPrometheus(config);
  });
  afterAll(async () => prometheus?.stop());

  it('discovers pods through kubernetes_sd_configs with role pod in every scrape job', () => {
    const original = parse(readFileSync(CONFIG, 'utf8')) as { scrape_configs: ScrapeConfig[] };
    expect(original.scrape_configs.length).toBeGreaterThan(0);
    for (const scrape of original.scrape_configs) expect(scrape.kubernetes_sd_configs).toEqual([{ role: 'pod' }]);
  });

  it('passes promtool check config, rule files included (file discovery standing in for Kubernetes discovery)', () => {
    const output = execFileSync('promtool', ['check', 'config', config], { encoding: 'utf8' });
    expect(output).toContain('SUCCESS');
  });

  it('finds the three demo services to check', () => {
    expect(demo.map((d) => d.metadata.name).sort()).toEqual(['frontend', 'thoughts', 'users']);
  });

  it('scrapes each demo service exactly once, on its metrics port, with job = service name', async () => {
    const active = await waitFor(async () => {
      const body = (await (await fetch(`${prometheus.url}/api/v1/targets?state=active`)).json()) as { data: { activeTargets: ApiTarget[] } };
      return body.data.activeTargets.length >= demo.length ? body.data.activeTargets : undefined;
    }, 20_000, 'the file-discovered targets');
    const byJob = active.map((t) => [t.labels.job, t.scrapeUrl]).sort();
    const groups = podTargetGroups(dev);
    const expected = demo.map((d) => {
      const metrics = groups.find((g) => g.labels.__meta_kubernetes_pod_name === `${d.metadata.name}-0` && g.labels.__meta_kubernetes_pod_container_port_name === 'metrics');
      return [d.metadata.name, `http://${metrics?.targets[0]}${METRICS_PATH}`];
    }).sort();
    expect(byJob).toEqual(expected);
  });
});
