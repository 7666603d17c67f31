/**
 * What the benchmark's Prometheus loads besides the data: OpenSLO files for a share of the
 * services turned into objective rules by the real `periscope slo rules`, a scrape job per service,
 * and the synthetic exporter those jobs scrape.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTool } from '../../alerts/lib/exec.ts';
import { serviceExposition } from './exposition.ts';
import type { SyntheticService } from './services.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** One service in this many declares its own objectives (the others get the stack's defaults). */
export const DECLARED_EVERY = 10;

/** The OpenSLO v1 file of a service that declares its objectives: 99.5 % available, 99 % within 0.25 s. */
export function openSloFile(job: string): string {
  const doc = (sli: string, objective: string) =>
    [
      'apiVersion: openslo/v1',
      'kind: SLO',
      `metadata: { name: ${job}-${sli} }`,
      'spec:',
      `  service: ${job}`,
      `  indicatorRef: periscope-${sli}`,
      '  budgetingMethod: Occurrences',
      '  timeWindow: [{ duration: 30d, isRolling: true }]',
      `  objectives: [${objective}]`,
    ].join('\n');
  return `${doc('availability', '{ target: 0.995 }')}\n---\n${doc('latency', '{ op: lte, value: 0.25, target: 0.99 }')}\n`;
}

/** The services that declare objectives: every DECLARED_EVERY-th, starting with the first. */
export function declaringServices(services: readonly SyntheticService[]): SyntheticService[] {
  return services.filter((s) => s.index % DECLARED_EVERY === 0);
}

/** Writes the OpenSLO files into `dir/openslo/` and runs `periscope slo rules` on them; returns the rules file. */
export async function declaredObjectiveRules(services: readonly SyntheticService[], dir: string): Promise<string> {
  const specs = join(dir, 'openslo');
  mkdirSync(specs, { recursive: true });
  for (const s of declaringServices(services)) writeFileSync(join(specs, `${s.job}.yaml`), openSloFile(s.job));
  const output = join(dir, 'declared.rules.yml');
  const cli = join(REPO_ROOT, 'packages/cli/bin/periscope.cjs');
  const result = await runTool(process.execPath, [cli, 'slo', 'rules', '--output', output, specs]);
  if (result.code !== 0) throw new Error(`periscope slo rules failed (${result.code}): ${result.stderr}`);
  return output;
}

/** Every scrape and evaluation interval of the run (the shipped prometheus.yml's 15s). */
export const INTERVAL_SECONDS = 15;

/** prometheus.yml: the shipped rule files as they are, the declared objectives, one job per service. */
export function prometheusConfig(services: readonly SyntheticService[], instance: string, ruleFiles: readonly string[]): string {
  const lines = [
    `global: { scrape_interval: ${INTERVAL_SECONDS}s, evaluation_interval: ${INTERVAL_SECONDS}s }`,
    'rule_files:',
    ...ruleFiles.map((f) => `  - ${JSON.stringify(f)}`),
    'scrape_configs:',
  ];
  for (const s of services) {
    lines.push(
      `  - job_name: ${JSON.stringify(s.job)}`,
      `    metrics_path: /metrics/${s.job}`,
      `    static_configs: [{ targets: [${JSON.stringify(instance)}], labels: { team: ${JSON.stringify(s.team)} } }]`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Serves `GET /metrics/<job>` for every service on 127.0.0.1:`port`; counters follow the wall clock. */
export async function startExporter(services: readonly SyntheticService[], port: number, t0: number): Promise<Server> {
  const byJob = new Map(services.map((s) => [s.job, s]));
  const server = createServer((req, res) => {
    const service = byJob.get((req.url ?? '').replace(/^\/metrics\//, ''));
    if (req.method !== 'GET' || !service) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(serviceExposition(service, Date.now() / 1000, t0));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return server;
}
