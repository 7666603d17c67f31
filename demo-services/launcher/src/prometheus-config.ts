/**
 * The Prometheus configuration the demo runs: `deploy/prometheus/prometheus.local.yml` (or a
 * built-in equivalent when that file is absent) with each static job's target moved to the port
 * its component actually got, the services job (FILE_SD) pointed at the launcher's targets
 * folder, rule files made absolute, and optional overrides for tests.
 */
import path from 'node:path';
import { parse } from 'yaml';
import { FILE_SD } from '@periscope/stack';

/** Scrape/evaluation settings a caller may override (Prometheus duration strings). */
export interface PrometheusGlobal {
  scrape_interval?: string;
  scrape_timeout?: string;
  evaluation_interval?: string;
}

/** Inputs of {@link derivePrometheusConfig}. */
export interface PrometheusConfigInput {
  /** YAML text of the source config, or `undefined` for the built-in one. */
  sourceText?: string;
  /** Folder the source's relative `rule_files` are relative to. */
  sourceDir: string;
  /**
   * `host:port` per static job the stack runs (its components); a listed job the source lacks is
   * added, and jobs of the source that are not listed are left as they are.
   */
  targets: Readonly<Record<string, string>>;
  /**
   * The folder of the target files (see file-targets.ts): the source's {@link FILE_SD} job reads
   * its `*.json`, and is added when the source has none. Without it, that job's relative `files`
   * resolve against `sourceDir`, and it counts as a foreign job.
   */
  targetsDir?: string;
  /** Added to `global.external_labels` (e.g. where runbook links point). */
  externalLabels?: Readonly<Record<string, string>>;
  /** Jobs of the source to drop (components that are switched off). */
  dropJobs?: readonly string[];
  /** `host:port` of Alertmanager, or `undefined` to send alerts nowhere. */
  alertmanager?: string;
  /** Replaces the source's `rule_files` (absolute paths or globs). */
  ruleFiles?: readonly string[];
  global?: PrometheusGlobal;
}

/** The derived config and what the caller should know about it. */
export interface DerivedPrometheusConfig {
  config: Record<string, unknown>;
  /** Jobs present in the config that the stack does not run (they are not waited for). */
  foreignJobs: string[];
}

interface ScrapeConfig {
  job_name: string;
  static_configs?: Array<{ targets?: string[]; labels?: Record<string, string> }>;
  file_sd_configs?: Array<{ files?: string[]; refresh_interval?: string }>;
  [key: string]: unknown;
}

/** The config used when deploy/prometheus/prometheus.local.yml does not exist. */
export const BUILT_IN_PROMETHEUS_CONFIG = `
global: { scrape_interval: 15s, scrape_timeout: 10s, evaluation_interval: 15s }
rule_files: ['../../alerts/*.rules.yml', '../../demo-services/slo.rules.yml']
scrape_configs: []
`;

/** Builds the config Prometheus runs with. Throws `Error` when the source is not a Prometheus config. */
export function derivePrometheusConfig(input: PrometheusConfigInput): DerivedPrometheusConfig {
  const config = (parse(input.sourceText ?? BUILT_IN_PROMETHEUS_CONFIG) ?? {}) as Record<string, unknown>;
  if (typeof config !== 'object' || Array.isArray(config)) throw new Error('the Prometheus config is not a YAML mapping');

  const global: PrometheusGlobal & { external_labels?: Record<string, string> } = { ...(config.global as PrometheusGlobal | undefined), ...input.global };
  // A scrape timeout longer than the interval is rejected by Prometheus.
  if (input.global?.scrape_interval && !input.global.scrape_timeout) global.scrape_timeout = input.global.scrape_interval;
  if (input.externalLabels) global.external_labels = { ...global.external_labels, ...input.externalLabels };
  config.global = global;

  const ruleFiles = input.ruleFiles ?? ((config.rule_files as string[] | undefined) ?? []);
  config.rule_files = ruleFiles.map((file) => path.resolve(input.sourceDir, file));

  if (input.alertmanager) config.alerting = { alertmanagers: [{ static_configs: [{ targets: [input.alertmanager] }] }] };
  else delete config.alerting;

  const drop = new Set(input.dropJobs ?? []);
  const jobs = ((config.scrape_configs as ScrapeConfig[] | undefined) ?? []).filter((job) => !drop.has(job.job_name));
  const wanted = new Map(Object.entries(input.targets).filter(([job]) => !drop.has(job)));
  for (const job of jobs) {
    const target = wanted.get(job.job_name);
    if (target === undefined) continue;
    const labels = job.static_configs?.[0]?.labels;
    job.static_configs = [{ targets: [target], ...(labels ? { labels } : {}) }];
    wanted.delete(job.job_name);
  }
  for (const [job_name, target] of wanted) jobs.push({ job_name, static_configs: [{ targets: [target] }] });
  pointFileDiscovery(jobs, input);
  config.scrape_configs = jobs;

  const ours = (name: string) => name in input.targets || (name === FILE_SD.jobName && input.targetsDir !== undefined);
  const foreignJobs = jobs.map((job) => job.job_name).filter((name) => !ours(name));
  return { config, foreignJobs };
}

/**
 * Points the services job at the targets folder (adding the job when missing), and makes every
 * other file_sd path absolute: the derived config is written elsewhere than its source.
 */
function pointFileDiscovery(jobs: ScrapeConfig[], input: PrometheusConfigInput): void {
  const { targetsDir } = input;
  if (targetsDir !== undefined && !jobs.some((job) => job.job_name === FILE_SD.jobName)) jobs.unshift({ job_name: FILE_SD.jobName });
  for (const job of jobs) {
    if (job.job_name === FILE_SD.jobName && targetsDir !== undefined) {
      job.file_sd_configs = [{ files: [path.join(targetsDir, FILE_SD.pattern)], refresh_interval: FILE_SD.refreshInterval }];
      continue;
    }
    for (const sd of job.file_sd_configs ?? []) sd.files = (sd.files ?? []).map((file) => path.resolve(input.sourceDir, file));
  }
}
