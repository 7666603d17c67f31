/**
 * The package README's Install and Quick start, as a newcomer follows them: pack the package
 * with the README's command, install the tarball and the peer dependencies into a fresh project
 * with the README's command, run the quick start's code as written (on a free port instead of
 * 3000), and get what the README says it prints — the response header, the access line, the
 * /metrics lines — and a clean stop on SIGTERM. Needs `npm run build` first.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const README = readFileSync(join(ROOT, 'packages/instrument/README.md'), 'utf8');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** The text of a `## name` section, up to the next `## `. */
function section(name: string): string {
  const start = README.indexOf(`\n## ${name}\n`);
  if (start < 0) throw new Error(`README has no "## ${name}" section`);
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

/** The code blocks of a section, by info string (`sh`, `js`, `json`, '' for none). */
function blocks(text: string, lang: string): string[] {
  return [...text.matchAll(/```([a-z]*)\n([\s\S]*?)```/g)].filter((m) => m[1] === lang).map((m) => m[2]!);
}

const INSTALL = blocks(section('Install'), 'sh').flatMap((b) => b.split('\n')).map((l) => l.trim()).filter(Boolean);
const QUICK_START = section('Quick start');
const CODE = blocks(QUICK_START, 'js')[0]!;
const ACCESS_LINE = JSON.parse(blocks(QUICK_START, 'json')[0]!.trim()) as Record<string, unknown>;
const METRIC_LINES = blocks(QUICK_START, '')[0]!.split('\n').filter(Boolean);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The environment of a user's shell: none of this repo's npm, Periscope or OpenTelemetry variables. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|PERISCOPE_|OTEL_)/i.test(k)));
  return { ...env, ...extra };
}

let project: string;
let tarball: string;
const running: ChildProcess[] = [];

interface App {
  child: ChildProcess;
  port: number;
  stdout: () => string;
  exited: Promise<number | null>;
}

/** Runs the quick start's code in the project, on `port` instead of 3000. */
async function startQuickStart(env: Record<string, string> = {}): Promise<App> {
  const port = await freePort();
  writeFileSync(join(project, 'server.mjs'), CODE.replace(/\b3000\b/g, String(port)));
  const child = spawn(process.execPath, ['server.mjs'], { cwd: project, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await until('the quick start to listen', async () => (await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status, () => undefined)) === 200 || undefined);
  return { child, port, stdout: () => out, exited };
}

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'periscope-quick-start-'));
  const pack = INSTALL.find((l) => l.startsWith('npm pack '));
  const install = INSTALL.find((l) => l.startsWith('npm install ./'));
  if (!pack || !install) throw new Error(`README's Install has no npm pack / npm install ./<tarball> line: ${INSTALL.join(' | ')}`);
  const packed = spawnSync(NPM, [...pack.split(/\s+/).slice(1), '--json', '--pack-destination', project], { cwd: ROOT, encoding: 'utf8' });
  if (packed.status !== 0) throw new Error(`${pack}: ${packed.stderr}`);
  tarball = (JSON.parse(packed.stdout) as { filename: string }[])[0]!.filename;
  // A service of its own, named and versioned as the README's example line shows.
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'users', version: '0.1.0', private: true, type: 'module' }, null, 2));
  const args = install.split(/\s+/).slice(1);
  const installed = spawnSync(NPM, [...args, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: project, encoding: 'utf8', env: cleanEnv() });
  if (installed.status !== 0) throw new Error(`${install}: ${installed.stderr}`);
  copyFileSync(join(project, 'package.json'), join(project, 'package.installed.json'));
}, 240_000);

afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('the package README, followed as written', () => {
  it('packs the tarball its install line names, and installs it with the peer dependencies', () => {
    expect(INSTALL).toContain(`npm install ./${tarball} express @opentelemetry/api`);
    const deps = (JSON.parse(readFileSync(join(project, 'package.installed.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies;
    expect(Object.keys(deps).sort()).toEqual(['@opentelemetry/api', '@periscope/instrument', 'express']);
    expect(deps['@periscope/instrument']).toBe(`file:${tarball}`);
  });

  it('has a quick start of ten lines or fewer that uses everything it assigns', () => {
    const lines = CODE.split('\n').filter((l) => l.trim() !== '');
    expect(lines.length).toBeLessThanOrEqual(10);
    for (const [, name] of CODE.matchAll(/\b(?:const|let|var)\s+(\w+)\s*=/g)) {
      const uses = CODE.match(new RegExp(`\\b${name}\\b`, 'g'))!.length;
      expect({ name, usedAfterAssignment: uses > 1 }).toEqual({ name, usedAfterAssignment: true });
    }
  });

  it('answers with the caller\'s X-Request-ID and writes the access line the README shows', async () => {
    const app = await startQuickStart();
    const res = await fetch(`http://127.0.0.1:${app.port}/users/42`, { headers: { 'x-request-id': '7f3c9a' } });
    expect(res.headers.get('x-request-id')).toBe('7f3c9a');
    expect(await res.json()).toEqual({ id: '42' });
    const line = await until('the access line', () =>
      app
        .stdout()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l.msg === 'request completed'),
    );
    expect(Object.keys(line).sort()).toEqual(Object.keys(ACCESS_LINE).sort());
    for (const key of ['level', 'service', 'version', 'request_id', 'http', 'msg', 'trace_flags']) expect({ key, value: line[key] }).toEqual({ key, value: ACCESS_LINE[key] });
  });

  it('serves /metrics on the app\'s own port by default, with the lines the README shows', async () => {
    const app = await startQuickStart();
    await fetch(`http://127.0.0.1:${app.port}/users/42`, { headers: { 'x-request-id': '7f3c9a' } }).then((r) => r.text());
    const metrics = await fetch(`http://127.0.0.1:${app.port}/metrics`).then((r) => r.text());
    const lines = metrics.split('\n');
    for (const expected of METRIC_LINES) expect(lines).toContain(expected);
  });

  it('moves /metrics to PERISCOPE_METRICS_PORT, off the app\'s port, as the metricsPort option says', async () => {
    const metricsPort = await freePort();
    const app = await startQuickStart({ PERISCOPE_METRICS_PORT: String(metricsPort) });
    const own = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(own.status).toBe(200);
    expect(await own.text()).toContain('periscope_build_info{service="users",version="0.1.0",commit="unknown"} 1');
    expect((await fetch(`http://127.0.0.1:${app.port}/metrics`)).status).toBe(404);
  });

  it('on SIGTERM closes the server, flushes through telemetry.shutdown() and exits 0', async () => {
    const app = await startQuickStart();
    await fetch(`http://127.0.0.1:${app.port}/users/42`).then((r) => r.text());
    app.child.kill('SIGTERM');
    const code = await Promise.race([app.exited, new Promise<string>((r) => setTimeout(() => r('still running after 10 s'), 10_000))]);
    expect({ code, output: app.stdout().includes('request completed') }).toEqual({ code: 0, output: true });
  });
});
