/** Debian's Prometheus, started by a test on a free loopback port with a fresh TSDB. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLoopbackServer } from './process.ts';
import type { LoopbackServer } from './process.ts';

/** What a test Prometheus loads. Exactly one of `configFile` and `config`. */
export interface PrometheusOptions {
  /** Path of a prometheus.yml to load as is (rule_files resolve against its folder). */
  configFile?: string;
  /** YAML text, written to the data folder and loaded. */
  config?: string;
  /** Turn exemplar storage on (`--enable-feature=exemplar-storage`). */
  exemplars?: boolean;
}

/** Starts `prometheus` and resolves once `/-/ready` answers 200. */
export async function startPrometheus(options: PrometheusOptions): Promise<LoopbackServer> {
  if ((options.configFile === undefined) === (options.config === undefined)) {
    throw new TypeError('startPrometheus: expected exactly one of configFile and config');
  }
  return startLoopbackServer('prometheus', (port, dataDir) => {
    let configFile = options.configFile;
    if (configFile === undefined) {
      configFile = join(dataDir, 'prometheus.yml');
      writeFileSync(configFile, options.config!);
    }
    return [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dataDir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
      ...(options.exemplars ? ['--enable-feature=exemplar-storage'] : []),
    ];
  });
}

/** A Prometheus config scraping `targets` (host:port) as one job every second. */
export function scrapeConfig(targets: readonly string[], job = 'app'): string {
  return [
    'global: { scrape_interval: 1s, evaluation_interval: 1s }',
    'scrape_configs:',
    `  - job_name: ${JSON.stringify(job)}`,
    `    static_configs: [{ targets: [${targets.map((t) => JSON.stringify(t)).join(', ')}] }]`,
    '',
  ].join('\n');
}

/** Starts Prometheus with exemplar storage on, scraping `targets` every second. */
export function startScrapingPrometheus(targets: readonly string[]): Promise<LoopbackServer> {
  return startPrometheus({ config: scrapeConfig(targets), exemplars: true });
}
