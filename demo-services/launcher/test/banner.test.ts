// Every link the banner prints answers 2xx on this machine, and every command it prints runs:
// against a real stack (the smoke test's setup: ephemeral ports, 1 s scrapes), from the repo root.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { banner } from '../src/banner.ts';
import { REPO_ROOT } from '../src/paths.ts';
import { RED_PANELS } from '../src/red-queries.ts';
import { startStack } from '../src/stack.ts';
import type { Stack } from '../src/stack.ts';
import { waitUntil } from '../src/wait.ts';
import { probeWebUis } from '../src/web-uis.ts';

const EPHEMERAL = { frontend: 0, users: 0, thoughts: 0, prometheus: 0, alertmanager: 0, nodeExporter: 0, receiver: 0 } as const;
const COMMAND = /(?:npm run fault -- |npx periscope |amtool |curl )[^()]*?(?=\s{3,}|\)|$)/g;

let dir: string;
let stack: Stack | undefined;
let lines: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'periscope-banner-'));
  stack = await startStack({
    ports: EPHEMERAL,
    load: { rate: 10 },
    prometheusGlobal: { scrape_interval: '1s', evaluation_interval: '1s' },
    stateDir: path.join(dir, 'state'),
    quiet: true,
    installMissing: false,
    targetsTimeoutMs: 30_000,
  });
  lines = banner(stack, await probeWebUis(stack.urls), 200);
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs a printed command line in sh from the repo root; resolves to its stdout, throws on a non-zero exit. */
const sh = (line: string): string => execFileSync('sh', ['-c', line], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] });

describe('the banner', () => {
  it('links only to pages that answer 2xx here', async () => {
    const urls = lines.flatMap((line) => line.match(/https?:\/\/[^\s')]+/g) ?? []);
    expect(urls.length).toBeGreaterThanOrEqual(6);
    for (const url of urls) {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
      expect(response.status, url).toBeGreaterThanOrEqual(200);
      expect(response.status, url).toBeLessThan(300);
      await response.body?.cancel();
    }
  });

  it('prints links short enough not to wrap', () => {
    const urls = lines.flatMap((line) => line.match(/https?:\/\/[^\s')]+/g) ?? []);
    for (const url of urls) expect(url.length, url).toBeLessThanOrEqual(60);
  });

  it('gives a short link for each RED panel that redirects to its Prometheus graph, and says there is no Grafana', async () => {
    const text = lines.join('\n');
    expect(text).toContain('No Grafana here');
    for (const panel of RED_PANELS) {
      const match = new RegExp(`${panel.name.replace(/[()]/g, '\\$&')}\\s+(\\S+)$`, 'm').exec(text);
      expect(match?.[1], panel.name).toBe(`${stack!.receiver!.url}/graph/${panel.slug}`);
      const redirect = await fetch(match![1]!, { redirect: 'manual' });
      expect(redirect.status).toBe(302);
      const location = new URL(redirect.headers.get('location')!);
      expect(location.origin).toBe(stack!.urls.prometheus);
      expect(location.pathname).toMatch(/^\/(classic\/)?graph$/);
      expect(location.searchParams.get('g0.expr')).toBe(panel.expr);
      const graph = await fetch(location);
      expect(graph.status).toBe(200);
      await graph.body?.cancel();
    }
  });

  it('links to the notifications the receiver got and to the runbooks it serves', async () => {
    const text = lines.join('\n');
    expect(text).toMatch(new RegExp(`notifications ${stack!.receiver!.url}/ `));
    expect(text).toContain(`runbooks      ${stack!.receiver!.url}/runbooks/`);
    expect(await (await fetch(`${stack!.receiver!.url}/runbooks/`)).text()).toContain('slo.md');
  });

  it('prints commands that run as written against the running stack', async () => {
    const commands = lines.flatMap((line) => line.match(COMMAND) ?? []).map((c) => c.trim());
    expect(commands.some((c) => c.startsWith('curl -si'))).toBe(true);
    expect(commands.filter((c) => c.startsWith('npx periscope'))).toHaveLength(2);
    const curl = commands.find((c) => c.startsWith('curl -si'))!;
    const requestId = /x-request-id:\s*(\S+)/i.exec(sh(curl))![1]!;
    for (const command of commands) {
      if (command === curl) continue;
      const line = command.replace('<request-id>', requestId);
      if (line.startsWith('npx periscope')) {
        // The spans are written in batches: retry until it exits 0 (found) with output.
        await waitUntil(() => sh(line).length > 0, { timeoutMs: 15_000, intervalMs: 1000, describe: () => `${line} found nothing` });
      } else {
        expect(() => sh(line), line).not.toThrow();
      }
    }
    sh(`npm run fault -- users --clear --state-dir ${stack!.stateDir}`);
  }, 90_000);
});
