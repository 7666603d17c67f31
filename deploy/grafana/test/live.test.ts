// Live check: the whole demo (the three services under load, Prometheus with the repository's
// rules, the node exporter) started by the demo launcher on ephemeral ports; every PromQL
// expression of every panel must return data. A panel that would be empty fails, by name.
// LogQL panels need Loki, which only runs in the container stack; they are checked by parsing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRIC } from '@periscope/instrument/contract';
import { startStack } from '../../../demo-services/launcher/src/stack.ts';
import type { Stack } from '../../../demo-services/launcher/src/stack.ts';
import { emptyPanelTitles, emptyTargets, instantQuery } from '../src/check/prometheus.ts';
import { waitFor } from '../../../tools/testing/wait.ts';
import { dashboards } from './helpers.ts';

/** $__rate_interval as Grafana computes it for a 1 s scrape interval: four scrapes, rounded up. */
const RATE_INTERVAL = '10s';

/**
 * The service each dashboard is looked at with: the frontend calls the other two (dependency
 * panels), thoughts runs the one application resource (resource panels).
 */
const SERVICE: Readonly<Record<string, string>> = { 'periscope-service-detail': 'frontend', 'periscope-nodejs-runtime': 'thoughts' };

let dir: string;
let stack: Stack | undefined;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'periscope-grafana-live-'));
  stack = await startStack({
    ports: { frontend: 0, users: 0, thoughts: 0, prometheus: 0, nodeExporter: 0 },
    alertmanager: false,
    load: { rate: 20 },
    prometheusGlobal: { scrape_interval: '1s', evaluation_interval: '1s' },
    stateDir: path.join(dir, 'state'),
    quiet: true,
    installMissing: false,
    targetsTimeoutMs: 30_000,
  });
  const prometheus = stack.urls.prometheus!;
  // Enough samples for every rate window, and the recording rules evaluated over them.
  await waitFor(
    'three services with request rates and the SLO rules evaluated',
    async () => {
      const rates = await instantQuery(prometheus, `count_over_time(sum by (job) (rate(${METRIC.serverDuration}_count[${RATE_INTERVAL}]))[15s:1s]) >= 12`);
      const objectives = await instantQuery(prometheus, 'job:slo_objective:ratio');
      return rates.length >= 3 && objectives.length > 0;
    },
    45_000,
  );
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('with the demo running', () => {
  it.each(dashboards.map((d) => [d.uid, d] as const))('every PromQL panel of %s returns data', async (uid, dashboard) => {
    const values = { __rate_interval: RATE_INTERVAL, __interval: RATE_INTERVAL, ...(SERVICE[uid] ? { service: SERVICE[uid] } : {}) };
    const empty = await emptyTargets(stack!.urls.prometheus!, dashboard, { values });
    expect(emptyPanelTitles(empty), JSON.stringify(empty, null, 2)).toEqual([]);
  });
});
