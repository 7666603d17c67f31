// Live check: the whole demo (the three services under load, Prometheus with the repository's
// rules, the node exporter) started by the demo launcher on ephemeral ports, and one service
// outside the demo that Prometheus finds through the launcher's target files; every PromQL
// expression of every panel must return data. A panel that would be empty fails, by name.
// LogQL panels need Loki, which only runs in the container stack; they are checked by parsing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRIC } from '@periscope/instrument/contract';
import { SLO_SERIES, errorRatioSeries } from '@periscope/stack';
import { REPO_ROOT, startStack } from '@periscope-demo/launcher';
import type { Stack } from '@periscope-demo/launcher';
import { SERVICE_NAMES } from '@periscope-demo/shared';
import { extractQueries } from '../src/check/extract.ts';
import { emptyPanelTitles, emptyTargets, instantQuery } from '../src/check/prometheus.ts';
import { substitute } from '../src/check/substitute.ts';
import { waitFor } from '../../../tools/testing/wait.ts';
import { dashboards, startOutsideService } from './helpers.ts';
import type { OutsideService } from './helpers.ts';

/** $__rate_interval as Grafana computes it for a 1 s scrape interval: four scrapes, rounded up. */
const RATE_INTERVAL = '10s';

/**
 * The service each dashboard is looked at with: the frontend calls the other two (dependency
 * panels), thoughts runs the one application resource (resource panels).
 */
const SERVICE: Readonly<Record<string, string>> = { 'periscope-service-detail': 'frontend', 'periscope-nodejs-runtime': 'thoughts' };

/** A service the demo does not have, with a team label and no objectives of its own (the defaults). */
const OUTSIDE = { job: 'billing', team: 'payments' } as const;

const SLOS = dashboards.find((d) => d.uid === 'periscope-slos')!;

/**
 * The shipped rules, and the demo teams' own objectives (`periscope slo rules` from their OpenSLO
 * files): the SLO dashboard then shows declared objectives and thresholds (0.25 s) beside the
 * default ones of the outside service.
 */
const RULE_FILES = [path.join(REPO_ROOT, 'alerts/*.rules.yml'), path.join(REPO_ROOT, 'demo-services/slo.rules.yml')];

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

/** The SLO dashboard's panels titled `title`, one per SLI row (availability, then latency), run for `service`. */
async function sloPanel(title: string, service: string): Promise<Sample[][]> {
  const queries = extractQueries(SLOS).filter((q) => q.source === 'panel' && q.name === title);
  return Promise.all(queries.map(async (q) => (await instantQuery(stack!.urls.prometheus!, substitute(q.expr, { service }))) as Sample[]));
}

let dir: string;
let stack: Stack | undefined;
let outside: OutsideService | undefined;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'periscope-grafana-live-'));
  stack = await startStack({
    ports: { frontend: 0, users: 0, thoughts: 0, prometheus: 0, nodeExporter: 0 },
    alertmanager: false,
    load: { rate: 20 },
    ruleFiles: RULE_FILES,
    prometheusGlobal: { scrape_interval: '1s', evaluation_interval: '1s' },
    stateDir: path.join(dir, 'state'),
    quiet: true,
    installMissing: false,
    targetsTimeoutMs: 30_000,
  });
  // one in 25 requests fails (503), one in 25 is slow (0.6 s, past the default threshold)
  outside = await startOutsideService(OUTSIDE.job, { mix: { failShare: 0.04, slowShare: 0.04, slowMs: 600 } });
  stack.addTarget(OUTSIDE.job, outside.hostPort, { team: OUTSIDE.team });
  await stack.waitForTargets();
  const prometheus = stack.urls.prometheus!;
  // Enough samples for every rate window, and the recording rules evaluated over them.
  await waitFor(
    'four services with request rates and the SLO rules evaluated for the outside one',
    async () => {
      const rates = await instantQuery(prometheus, `count_over_time(sum by (job) (rate(${METRIC.serverDuration}_count[${RATE_INTERVAL}]))[15s:1s]) >= 12`);
      const objectives = await instantQuery(prometheus, `${SLO_SERIES.objective}{job="${OUTSIDE.job}"}`);
      const ratios = await instantQuery(prometheus, `${errorRatioSeries('latency', '3d')}{job="${OUTSIDE.job}"}`);
      return rates.length >= 4 && objectives.length === 2 && ratios.length > 0;
    },
    60_000,
  );
}, 150_000);

afterAll(async () => {
  await stack?.stop();
  await outside?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('with the demo and a service outside it running', () => {
  it.each(dashboards.map((d) => [d.uid, d] as const))('every PromQL panel of %s returns data', async (uid, dashboard) => {
    const values = { __rate_interval: RATE_INTERVAL, __interval: RATE_INTERVAL, ...(SERVICE[uid] ? { service: SERVICE[uid] } : {}) };
    const empty = await emptyTargets(stack!.urls.prometheus!, dashboard, { values });
    expect(emptyPanelTitles(empty), JSON.stringify(empty, null, 2)).toEqual([]);
  });

  it(`offers ${OUTSIDE.job}, which is not a demo service, in the SLO dashboard's service variable`, async () => {
    expect(SERVICE_NAMES).not.toContain(OUTSIDE.job);
    const found = await instantQuery(stack!.urls.prometheus!, `group by (job) (${SLO_SERIES.objective})`);
    expect(found.map((s) => (s as { metric: { job: string } }).metric.job).sort()).toEqual([OUTSIDE.job, ...SERVICE_NAMES].sort());
  });

  it.each([OUTSIDE.job, ...SERVICE_NAMES])('every PromQL panel of the SLO dashboard returns data for %s', async (service) => {
    const values = { __rate_interval: RATE_INTERVAL, __interval: RATE_INTERVAL, service };
    const empty = await emptyTargets(stack!.urls.prometheus!, SLOS, { values });
    expect(emptyPanelTitles(empty), JSON.stringify(empty, null, 2)).toEqual([]);
  });

  it(`shows ${OUTSIDE.job} the default objectives, and the thoughts team's declared ones`, async () => {
    const [[availability], [latency]] = await sloPanel('Objective', OUTSIDE.job);
    expect([availability!.value[1], latency!.value[1], latency!.metric.le]).toEqual(['0.999', '0.99', '0.5']);
    const [, [declared]] = await sloPanel('Objective', 'thoughts');
    expect([declared!.value[1], declared!.metric.le]).toEqual(['0.99', '0.25']);
  });

  it(`counts ${OUTSIDE.job}'s failed and slow requests (1 in 25 each) in its SLIs and error budgets`, async () => {
    const [[availability], [latency]] = await sloPanel('SLI over 30d', OUTSIDE.job);
    for (const sli of [availability!, latency!]) {
      expect(sli.metric).toMatchObject({ job: OUTSIDE.job, team: OUTSIDE.team });
      expect(Number(sli.value[1])).toBeGreaterThan(0.9);
      expect(Number(sli.value[1])).toBeLessThan(0.99);
    }
    // 4 % bad against budgets of 0.1 % and 1 %: both overspent.
    const [[availabilityBudget], [latencyBudget]] = await sloPanel('Error budget remaining', OUTSIDE.job);
    expect(Number(availabilityBudget!.value[1])).toBeLessThan(-20);
    expect(Number(latencyBudget!.value[1])).toBeLessThan(-1);
  });
});
