/**
 * docs/adopting.md, followed as written, in a scratch home (`~/src/periscope` a clone of this
 * repository, `~/src/checkout` a fresh ESM service). Every code block is a step, in the guide's
 * order: a file block is written where its first line says (a snippet for a file the reader
 * already copied is merged into it), and every command line is run or, where this machine cannot,
 * checked by its inputs. A command line the test does not know fails it.
 *
 * Run for real: `npm pack` of the built packages (the guide's `npm ci && npm run build` in the
 * clone is this repository's own build, a precondition: `npm run build` first); `npm install` of
 * the tarballs and the peer dependencies into the service, from the npm registry through the
 * user's npm cache (`--prefer-offline`: a few seconds once the cache is warm); the guide's
 * server.js; the `curl`s; `mkdir`, `cp`, `echo`; `promtool check config`; Debian's Prometheus with
 * the guide's prometheus.yml, target file and the shipped rules (`up` and
 * `job:slo_objective:ratio` of `checkout`: the default objectives, then, after the OpenSLO step
 * and the reload, the declared ones); `amtool check-config`, `amtool config routes test` and
 * Alertmanager with the guide's config; `npx periscope slo check/rules` from the service's own
 * install of the packed CLI; the Grafana import lines, against a stand-in of Grafana's HTTP API
 * on loopback that checks the payloads (no Grafana runs here).
 *
 * Checked by their inputs only (no container engine, no cluster): `docker compose` — the guide's
 * service file merged into deploy/compose.yaml and given to `docker-compose config` (when
 * installed), its labels those of CONTAINERS (stack/src/discovery.ts), and the shipped
 * prometheus.yml's own relabelling, fed the container's Docker discovery labels through a target
 * file, scraping the running app as job `checkout`; `kubectl apply` — the guide's kustomization
 * rendered by the real kustomize (deploy/k8s/src/render.ts), its PodMonitor selecting the guide's
 * Deployment by the labels and port name of KUBERNETES, and the PrometheusRule parsed.
 *
 * The ports the guide names (8080 the app, 9090 Prometheus, 9093 Alertmanager, 3000 Grafana) are
 * swapped for free loopback ports in what runs; everything started is stopped, and the scratch
 * home deleted, in afterAll.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, fenceCount, guideSteps, readGuide, scratchHome } from './adopting-guide.ts';
import { Walkthrough } from './adopting-walkthrough.ts';

const GUIDE = readGuide();
const STEPS = guideSteps(GUIDE);
const SECTIONS = [...new Set(STEPS.map((s) => s.section))];

let walk: Walkthrough | undefined;

beforeAll(async () => {
  for (const pkg of ['packages/instrument', 'stack', 'packages/cli']) {
    if (!existsSync(join(ROOT, pkg, 'dist'))) throw new Error(`${pkg}/dist is missing: run \`npm run build\` first`);
  }
  walk = await Walkthrough.start(scratchHome());
});

afterAll(async () => {
  await walk?.stop();
});

describe('docs/adopting.md, followed as written', () => {
  it('is read whole: every code block is a named file or shell lines', () => {
    const { all, sh } = fenceCount(GUIDE);
    expect(STEPS.filter((s) => s.kind === 'file').length + sh).toBe(all);
    expect(SECTIONS).toEqual(expect.arrayContaining(['1. Install the package', '2. Two lines in the app', '4. Your own objectives', '6. Teams and routing']));
  });

  // One test per section, in the guide's order: each follows on from what the ones before left running.
  it.each(SECTIONS)('%s', async (section) => {
    for (const step of STEPS.filter((s) => s.section === section)) await walk!.follow(step);
  }, 120_000);

  it('ran or checked every command line of the guide, in order', () => {
    const lines = STEPS.flatMap((s) => (s.kind === 'command' ? [s.line] : []));
    expect(walk!.handled.map((h) => h.line)).toEqual(lines);
    expect(walk!.handled.filter((h) => h.how === 'run').length).toBeGreaterThanOrEqual(20);
  });

  it('refuses a command line it does not know', async () => {
    await expect(walk!.follow({ kind: 'command', section: 'x', heading: 'x', line: 'helm install periscope ./chart' })).rejects.toThrow(/does not know/);
  });
});
