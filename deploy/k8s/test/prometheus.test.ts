/**
 * The scrape config for clusters without the Operator: promtool accepts it, and the real
 * Prometheus, fed the targets Kubernetes discovery would report for the dev overlay and a few pods
 * of other services, scrapes each pod labelled for scraping once, on its metrics port, with
 * job = service name and team when set, and no other pod.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { LoopbackServer } from '../../../tools/testing/process.ts';
import { startPrometheus } from '../../../tools/testing/prometheus.ts';
import { waitFor } from '../../../tools/testing/wait.ts';
import { SERVICE_NAMES } from '@periscope-demo/shared';
import { KUBERNETES } from '@periscope/stack';
import { K8S_DIR, renderOverlay, removeTempTrees, tempTree } from './helpers.ts';
import { podTargetGroups } from './kubernetes-sd.ts';
import type { TargetGroup } from './kubernetes-sd.ts';
import { parseBlocks, relabelRules } from '../src/alloy-syntax.ts';
import { CONFIG_MAP } from '../src/alloy.ts';
import { parseDocuments, podSpec, podTemplate } from '../src/resources.ts';
import { METRICS_PATH } from '@periscope/instrument/contract';
import { PATHS, REPO_ROOT } from '../src/sources.ts';

const CONFIG = join(K8S_DIR, 'prometheus', 'prometheus.yml');
/** Where the config expects the rule files (a ConfigMap of alerts/*.rules.yml). */
const RULES_MOUNT = '/etc/prometheus/rules';
/** The extra job that stands for Alloy's pod target rules. */
const ALLOY_JOB = 'alloy-pod-logs';

/** A pod label as Kubernetes discovery names it. */
const podLabel = (name: string) => `__meta_kubernetes_pod_label_${name.replace(/[^a-zA-Z0-9_]/g, '_')}`;

/** Pods of services outside the demo: scraped by their labels alone. */
const OTHER_SERVICES: TargetGroup[] = [
  // Labelled for scraping, with a team.
  { targets: ['10.1.0.3:9464'], labels: { __meta_kubernetes_namespace: 'billing', __meta_kubernetes_pod_name: 'billing-0', __meta_kubernetes_pod_phase: 'Running', __meta_kubernetes_pod_container_name: 'billing', __meta_kubernetes_pod_container_port_name: KUBERNETES.metricsPort, [podLabel(KUBERNETES.serviceLabel)]: 'billing', [podLabel(KUBERNETES.scrapeLabel)]: 'true', [podLabel(KUBERNETES.teamLabel)]: 'payments' } },
  // A port named metrics but no scrape label: left alone.
  { targets: ['10.1.0.4:9464'], labels: { __meta_kubernetes_namespace: 'batch', __meta_kubernetes_pod_name: 'batch-0', __meta_kubernetes_pod_phase: 'Running', __meta_kubernetes_pod_container_name: 'batch', __meta_kubernetes_pod_container_port_name: KUBERNETES.metricsPort, [podLabel(KUBERNETES.serviceLabel)]: 'batch' } },
];

/** Pods that are not the demo's: Alloy must leave their logs alone. */
const FOREIGN_PODS: TargetGroup[] = [
  { targets: ['10.1.0.1:8080'], labels: { __meta_kubernetes_namespace: 'other', __meta_kubernetes_pod_name: 'web-0', __meta_kubernetes_pod_container_name: 'web', __meta_kubernetes_pod_label_app_kubernetes_io_name: 'web' } },
  { targets: ['10.1.0.2:8080'], labels: { __meta_kubernetes_namespace: 'periscope', __meta_kubernetes_pod_name: 'shipper-0', __meta_kubernetes_pod_container_name: 'shipper', __meta_kubernetes_pod_label_app_kubernetes_io_name: 'shipper', __meta_kubernetes_pod_label_app_kubernetes_io_part_of: 'periscope', __meta_kubernetes_pod_label_periscope_logs: 'syslog' } },
];

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
  const config = parse(text) as { scrape_configs: Array<ScrapeConfig | Record<string, unknown>>; rule_files?: string[] };
  for (const scrape of config.scrape_configs as ScrapeConfig[]) {
    if (!scrape.kubernetes_sd_configs) continue;
    delete scrape.kubernetes_sd_configs;
    scrape.file_sd_configs = [{ files: [targetsFile], refresh_interval: '5s' }];
  }
  config.rule_files = (config.rule_files ?? []).map((glob) => glob.replace(RULES_MOUNT, join(REPO_ROOT, PATHS.rulesDir)));
  config.scrape_configs.push(alloyPodRulesJob(targetsFile));
  return stringify(config);
}

/**
 * A scrape job that runs the target rules of the generated Alloy DaemonSet config (the relabel
 * semantics are Prometheus'), so the test sees which pods' logs Alloy would collect.
 */
function alloyPodRulesJob(targetsFile: string): Record<string, unknown> {
  const configMap = parseDocuments(readFileSync(join(REPO_ROOT, PATHS.alloyOut, 'configmap.yaml'), 'utf8'), 'alloy configmap')[0] as { data: Record<string, string> };
  const pods = parseBlocks(configMap.data[CONFIG_MAP.key] as string).find((b) => b.name === 'discovery.relabel' && b.label === 'pods');
  if (!pods) throw new Error('no discovery.relabel "pods" in the generated Alloy config');
  return { job_name: ALLOY_JOB, file_sd_configs: [{ files: [targetsFile], refresh_interval: '5s' }], relabel_configs: relabelRules(pods) };
}

interface ApiTarget {
  labels: Record<string, string>;
  scrapeUrl: string;
}

afterAll(removeTempTrees);

describe('prometheus/prometheus.yml (clusters without the Operator)', () => {
  const dev = renderOverlay('dev');
  // The demo services: Deployments with a port named metrics (loadgen, a client, has none).
  const demo = dev.filter((r) => r.kind === 'Deployment' && JSON.stringify(podSpec(r)?.containers).includes('"name":"metrics"'));
  const dir = tempTree({ 'targets.json': JSON.stringify([...podTargetGroups(dev), ...FOREIGN_PODS, ...OTHER_SERVICES]) });
  const config = join(dir, 'prometheus.yml');
  writeFileSync(config, withFileDiscovery(readFileSync(CONFIG, 'utf8'), join(dir, 'targets.json')));
  let prometheus: LoopbackServer;

  beforeAll(async () => {
    prometheus = await startPrometheus({ configFile: config });
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

  it('finds the topology\'s demo services to check', () => {
    expect(demo.map((d) => d.metadata.name).sort()).toEqual([...SERVICE_NAMES].sort());
  });

  it('scrapes each labelled pod exactly once, on its metrics port, with job = service name and team when set', async () => {
    const active = await waitFor('the file-discovered targets', async () => {
      const body = (await (await fetch(`${prometheus.url}/api/v1/targets?state=active`)).json()) as { data: { activeTargets: ApiTarget[] } };
      return body.data.activeTargets.some((t) => t.labels.job !== ALLOY_JOB) ? body.data.activeTargets : undefined;
    });
    const byJob = active.filter((t) => t.labels.job !== ALLOY_JOB).map((t) => [t.labels.job, t.scrapeUrl, t.labels.team]).sort();
    const groups = podTargetGroups(dev);
    const expected = demo.map((d) => {
      const metrics = groups.find((g) => g.labels.__meta_kubernetes_pod_name === `${d.metadata.name}-0` && g.labels.__meta_kubernetes_pod_container_port_name === 'metrics');
      return [d.metadata.name, `http://${metrics?.targets[0]}${METRICS_PATH}`, undefined];
    });
    expected.push(['billing', `http://10.1.0.3:9464${METRICS_PATH}`, 'payments']);
    expected.sort();
    expect(byJob).toEqual(expected);
  });

  it('has Alloy collect the logs of every pod of the overlay, labelled by service, and no other pod\'s', async () => {
    const active = await waitFor('the Alloy pod-log targets', async () => {
      const body = (await (await fetch(`${prometheus.url}/api/v1/targets?state=active&scrapePool=${ALLOY_JOB}`)).json()) as { data: { activeTargets: ApiTarget[] } };
      return body.data.activeTargets.length > 0 ? body.data.activeTargets : undefined;
    });
    const services = [...new Set(active.map((t) => t.labels.service))].sort();
    const workloads = dev.filter((r) => podTemplate(r)).map((r) => r.metadata.name).sort();
    expect(services).toEqual(workloads);
  });
});
