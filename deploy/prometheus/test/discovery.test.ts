/**
 * Discovery by convention, run by the real Prometheus: the local config scrapes whatever the
 * target files name, and the container config scrapes every container with the scrape labels —
 * the demo's and anyone else's — with `job` and `team` from the target, never from a list here.
 * Debian's Prometheus cannot reach a Docker engine here, so the container config's
 * docker_sd_configs is swapped for file_sd_configs carrying the `__meta_docker_*` labels that
 * discovery would report (docker-sd.ts); its relabel rules run as written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { CONTAINERS, FILE_SD } from '@periscope/stack';
import { writeTargetFile } from '@periscope-demo/launcher';
import { METRICS_PATH } from '@periscope/instrument/contract';
import type { LoopbackServer } from '../../../tools/testing/process.ts';
import { startPrometheus } from '../../../tools/testing/prometheus.ts';
import { removeTempTrees, tempTree } from '../../../tools/testing/temp-tree.ts';
import { waitFor } from '../../../tools/testing/wait.ts';
import { readYaml, ROOT } from '../../test/helpers/repo.ts';
import { dockerTargetGroups } from './docker-sd.ts';
import type { Container, DockerFilter } from './docker-sd.ts';

const DIR = fileURLToPath(new URL('..', import.meta.url));

interface ApiTarget {
  labels: Record<string, string>;
  scrapeUrl: string;
  scrapePool: string;
}

/** The active targets of the services job, once there are `count` of them. */
async function serviceTargets(prometheus: LoopbackServer, count: number): Promise<ApiTarget[]> {
  return waitFor(`${count} targets of the ${FILE_SD.jobName} job`, async () => {
    const body = (await (await fetch(`${prometheus.url}/api/v1/targets?state=active`)).json()) as { data: { activeTargets: ApiTarget[] } };
    const ours = body.data.activeTargets.filter((t) => t.scrapePool === FILE_SD.jobName);
    return ours.length >= count ? ours : undefined;
  });
}

interface Scraped { job: string | undefined; team: string | undefined; url: string }
const byJob = (a: Scraped, b: Scraped) => (a.job ?? '').localeCompare(b.job ?? '');
/** What a test compares of a target: its job and team, and the URL it is scraped at. */
const summary = (targets: ApiTarget[]): Scraped[] => targets.map((t) => ({ job: t.labels.job, team: t.labels.team, url: t.scrapeUrl })).sort(byJob);

afterAll(removeTempTrees);

describe('the local config (prometheus.local.yml, as written)', () => {
  // The file where it lives relative to the repository: deploy/prometheus/ and .periscope/targets/.
  const root = tempTree({ 'deploy/prometheus/prometheus.yml': readFileSync(join(DIR, 'prometheus.local.yml'), 'utf8') });
  symlinkSync(join(ROOT, 'alerts'), join(root, 'alerts'));
  symlinkSync(join(ROOT, 'demo-services'), join(root, 'demo-services'));
  const targets = join(root, '.periscope/targets');
  let prometheus: LoopbackServer;

  beforeAll(async () => {
    writeTargetFile(targets, 'users', '127.0.0.1:48081');
    writeTargetFile(targets, 'billing', '127.0.0.1:47000', { team: 'payments' });
    prometheus = await startPrometheus({ configFile: join(root, 'deploy/prometheus/prometheus.yml') });
  });
  afterAll(async () => prometheus?.stop());

  it('scrapes each target of the files, with job and team from the file', async () => {
    expect(summary(await serviceTargets(prometheus, 2))).toEqual([
      { job: 'billing', team: 'payments', url: `http://127.0.0.1:47000${METRICS_PATH}` },
      { job: 'users', team: undefined, url: `http://127.0.0.1:48081${METRICS_PATH}` },
    ]);
  });

  it(`scrapes a target file written while it runs, within the ${FILE_SD.refreshInterval} refresh`, async () => {
    writeTargetFile(targets, 'late', '127.0.0.1:47001');
    const jobs = (await serviceTargets(prometheus, 3)).map((t) => t.labels.job).sort();
    expect(jobs).toEqual(['billing', 'late', 'users']);
  });
});

interface ComposeService {
  labels?: Record<string, string>;
  expose?: string[];
  ports?: string[];
}

/** The containers of deploy/compose.yaml as the engine would list them, one address each. */
function composeContainers(): Container[] {
  const compose = readYaml<{ name: string; services: Record<string, ComposeService> }>('deploy/compose.yaml');
  return Object.entries(compose.services).map(([service, s], index) => ({
    name: `${compose.name}-${service}-1`,
    labels: { ...s.labels, 'com.docker.compose.project': compose.name, 'com.docker.compose.service': service },
    ports: [...(s.expose ?? []).map(Number), ...(s.ports ?? []).map((p) => Number(p.split(':').at(-1)))],
    ip: `172.18.0.${index + 2}`,
  }));
}

/** Containers someone else started (`docker run`), next to the stack. */
const OTHERS: Container[] = [
  {
    name: 'billing-7f3a',
    labels: { [CONTAINERS.scrapeLabel]: 'true', [CONTAINERS.serviceLabel]: 'billing', [CONTAINERS.teamLabel]: 'payments', [CONTAINERS.metricsPortLabel]: '9464' },
    ports: [8080, 9464],
    ip: '172.18.0.100',
  },
  { name: 'ledger', labels: { [CONTAINERS.scrapeLabel]: 'true', [CONTAINERS.metricsPortLabel]: '9000' }, ports: [], ip: '172.18.0.101' },
  // Opted in without saying which port serves /metrics: skipped.
  { name: 'worker', labels: { [CONTAINERS.scrapeLabel]: 'true' }, ports: [8080], ip: '172.18.0.102' },
  // Not opted in (or opted out): the engine does not list them.
  { name: 'sidecar', labels: { [CONTAINERS.metricsPortLabel]: '9464' }, ports: [9464], ip: '172.18.0.103' },
  { name: 'paused', labels: { [CONTAINERS.scrapeLabel]: 'false', [CONTAINERS.metricsPortLabel]: '9464' }, ports: [9464], ip: '172.18.0.104' },
];

describe('the container config (prometheus.yml), with Docker discovery emulated', () => {
  const config = parse(readFileSync(join(DIR, 'prometheus.yml'), 'utf8')) as { rule_files: string[]; scrape_configs: Array<Record<string, unknown>> };
  const job = config.scrape_configs.find((j) => j.job_name === FILE_SD.jobName)!;
  const filters = (job.docker_sd_configs as Array<{ filters: DockerFilter[] }>)[0]!.filters;
  const containers = [...composeContainers(), ...OTHERS];
  const dir = tempTree({ 'targets.json': JSON.stringify(dockerTargetGroups(containers, filters)) });
  delete job.docker_sd_configs;
  job.file_sd_configs = [{ files: [join(dir, 'targets.json')], refresh_interval: '5s' }];
  config.rule_files = config.rule_files.map((glob) => join(DIR, glob));
  // The static jobs name compose services, which do not resolve here: only the services job is run.
  config.scrape_configs = [job];
  writeFileSync(join(dir, 'prometheus.yml'), stringify(config));
  let prometheus: LoopbackServer;

  beforeAll(async () => {
    prometheus = await startPrometheus({ configFile: join(dir, 'prometheus.yml') });
  });
  afterAll(async () => prometheus?.stop());

  it('scrapes each labelled container once on its metrics port: job from periscope.service, the compose service or the name; team when set', async () => {
    const labelled = composeContainers().filter((c) => c.labels[CONTAINERS.scrapeLabel] === 'true');
    const expected: Scraped[] = [
      ...labelled.map((c) => ({ job: c.labels['com.docker.compose.service'], team: undefined, url: `http://${c.ip}:${c.labels[CONTAINERS.metricsPortLabel]}${METRICS_PATH}` })),
      { job: 'billing', team: 'payments', url: `http://172.18.0.100:9464${METRICS_PATH}` },
      { job: 'ledger', team: undefined, url: `http://172.18.0.101:9000${METRICS_PATH}` },
    ];
    const active = await serviceTargets(prometheus, expected.length);
    expect(summary(active)).toEqual(expected.sort(byJob));
  });
});
