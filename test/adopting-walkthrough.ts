/**
 * Follows docs/adopting.md's steps one by one in a scratch home: writes its files, runs its
 * command lines (long-running ones in the background, on free loopback ports), and checks by
 * their inputs the ones this machine cannot run (docker compose, kubectl). What each command
 * proves is asserted right where it runs; a command line it does not know throws.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, globSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { expect } from 'vitest';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { DEFAULT_OBJECTIVES } from '@periscope/stack';
import { freePort, stopProcess } from '../tools/testing/process.ts';
import { waitFor } from '../tools/testing/wait.ts';
import { ROOT, expandHome, mergeInto, readGuide, readerEnv, rewritePorts, shell } from './adopting-guide.ts';
import type { FileStep, Step } from './adopting-guide.ts';
import { checkComposeReload, checkComposeService, checkComposeStack } from './adopting-compose.ts';
import { checkDeployment, checkKustomization, checkObjectivesRule } from './adopting-k8s.ts';
import type { Resource } from './adopting-k8s.ts';

/** The ports the guide names, in the order they are swapped for free ones. */
const GUIDE_PORTS = { app: 8080, prometheus: 9090, alertmanager: 9093, grafana: 3000 } as const;

interface Objective {
  sli: string;
  le?: string;
  value: number;
}

/** What a reader who followed the guide so far has running and written. */
export class Walkthrough {
  readonly handled: { line: string; how: 'run' | 'checked' | 'set' }[] = [];
  private readonly children: ChildProcess[] = [];
  private readonly cleanups: (() => Promise<void> | void)[] = [];
  private readonly grafanaRequests: { path: string; auth: string | undefined; body: Record<string, unknown> }[] = [];
  private cwd: string;
  private declaredLocal = false;
  private monitoring: Resource[] | undefined;

  private constructor(
    readonly home: string,
    private readonly ports: Map<number, number>,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    this.cwd = home;
  }

  static async start(home: string): Promise<Walkthrough> {
    const ports = new Map<number, number>();
    for (const port of Object.values(GUIDE_PORTS)) ports.set(port, await freePort());
    const walk = new Walkthrough(home, ports, readerEnv(home));
    walk.cleanups.push(() => rmSync(home, { recursive: true, force: true }));
    await walk.startGrafana();
    return walk;
  }

  private port(name: keyof typeof GUIDE_PORTS): number {
    return this.ports.get(GUIDE_PORTS[name])!;
  }

  async stop(): Promise<void> {
    for (const child of this.children.splice(0)) await stopProcess(child);
    for (const cleanup of this.cleanups.splice(0).reverse()) await cleanup();
  }

  async follow(step: Step): Promise<void> {
    if (step.kind === 'file') return this.writeFile(step);
    const line = expandHome(step.line, this.home);
    const words = line.split(/\s+/);
    const setup = /compose/i.test(step.heading) ? 'compose' : /kubernetes/i.test(step.heading) ? 'kubernetes' : 'local';
    const how = await this.command(line, words, setup);
    this.handled.push({ line: step.line, how });
  }

  /** A file block: written whole, or merged into the file of that name the reader already has. */
  private writeFile(step: FileStep): void {
    const path = expandHome(step.path, this.home);
    const text = rewritePorts(step.text, this.ports);
    mkdirSync(dirname(path), { recursive: true });
    if (existsSync(path) && step.lang === 'yaml') {
      writeFileSync(path, stringify(mergeInto(parse(readFileSync(path, 'utf8')), parse(text))));
    } else {
      writeFileSync(path, text);
    }
  }

  private async command(line: string, words: string[], setup: string): Promise<'run' | 'checked' | 'set'> {
    const [program, sub] = words;
    if (program === 'cd') {
      this.cwd = resolve(this.cwd, words[1]!);
      expect(existsSync(this.cwd), line).toBe(true);
      return 'set';
    }
    const assignment = /^([A-Z_][A-Z0-9_]*)=(\S+)$/.exec(line);
    if (assignment) {
      this.env[assignment[1]!] = rewritePorts(assignment[2]!, this.ports);
      return 'set';
    }
    if (setup === 'compose' && program === 'docker') {
      if (words.includes('-f')) checkComposeStack(words[words.indexOf('-f') + 1]!);
      else await checkComposeService(join(this.cwd, 'compose.yaml'), this.port('app'));
      return 'checked';
    }
    if (setup === 'compose' && program === 'curl') {
      checkComposeReload(line, join(this.home, 'src', 'periscope'));
      return 'checked';
    }
    if (setup === 'kubernetes' && program === 'kubectl') {
      await this.kubectl(line, words);
      return 'checked';
    }
    if (program === 'npm' && sub === 'ci') {
      // The clone's own install and build: this repository's, done before the test (beforeAll checks dist/).
      expect(line).toBe('npm ci && npm run build');
      return 'checked';
    }
    if (program === 'node' && sub === 'server.js') {
      await this.startApp({ PORT: String(this.port('app')) });
      return 'run';
    }
    if (program === 'prometheus' || program === 'alertmanager') {
      await this.startDaemon(program, words.slice(1));
      return 'run';
    }
    if (program === 'curl' && line.includes('/api/v1/query')) {
      await this.query(line);
      return 'run';
    }
    if (['npm', 'npx', 'mkdir', 'cp', 'echo', 'curl', 'promtool', 'amtool', 'for'].includes(program!)) {
      await this.run(line);
      return 'run';
    }
    throw new Error(`the guide's command "${line}" is one this test does not know: run or check it here`);
  }

  /** Runs a line in the reader's shell, expects exit 0, and checks what it proves. */
  private async run(line: string): Promise<string> {
    const runnable = rewritePorts(line, this.ports);
    const result = await shell(runnable, this.cwd, this.env);
    expect({ line, status: result.status, stderr: result.stderr.slice(-2000) }).toEqual({ line, status: 0, stderr: expect.any(String) });
    const out = result.stdout;
    if (/^npm pack /.test(line)) for (const name of line.split(/\s+/).filter((w) => w.startsWith('@periscope/'))) expect(existsSync(join(this.cwd, `${name.slice(1).replace('/', '-')}-0.1.0.tgz`)), line).toBe(true);
    if (/^npm install /.test(line)) expect(globSync('node_modules/@periscope/*/package.json', { cwd: this.cwd }).length, line).toBeGreaterThan(0);
    if (line.includes('/metrics')) {
      expect(out, line).toContain('periscope_build_info{service="checkout"');
      expect(out, line).toMatch(/^http_server_request_duration_seconds_count\{[^}]*http_route="\/orders\/:id"/m);
    }
    if (/^promtool check config/.test(line)) expect(out, line).toContain('SUCCESS');
    if (/^amtool config routes test/.test(line)) expect(out.trim(), line).toBe('payments-paging');
    if (/^npx periscope slo check/.test(line)) expect(out, line).toMatch(/valid/);
    if (/^npx periscope slo rules .*--output \S*periscope-local\/slo\//.test(line)) this.declaredLocal = true;
    if (line.includes('/api/datasources')) this.checkDatasource();
    if (line.includes('/api/dashboards/db')) this.checkDashboards();
    return out;
  }

  private spawnChild(command: string, args: readonly string[], extraEnv: Record<string, string>): ChildProcess {
    const child = spawn(command, args, { cwd: this.cwd, env: { ...this.env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()).length > 100_000 && (output = output.slice(-50_000)));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()).length > 100_000 && (output = output.slice(-50_000)));
    Object.defineProperty(child, 'output', { get: () => output });
    this.children.push(child);
    return child;
  }

  /** The guide's server.js, as `node server.js` in the service; ready when /healthz answers. */
  async startApp(env: Record<string, string>): Promise<ChildProcess> {
    const child = this.spawnChild(process.execPath, ['server.js'], env);
    const port = env.PORT;
    await waitFor(`server.js on ${port}`, () => child.exitCode === null && fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok));
    return child;
  }

  /** Prometheus or Alertmanager with the guide's flags, on its free port with a scratch data folder. */
  private async startDaemon(program: 'prometheus' | 'alertmanager', args: string[]): Promise<void> {
    const port = this.port(program);
    const data = join(this.home, `${program}-data`);
    const binary = program === 'prometheus' ? 'prometheus' : 'prometheus-alertmanager'; // Debian's name for Alertmanager
    const own = program === 'prometheus'
      ? [`--web.listen-address=127.0.0.1:${port}`, `--storage.tsdb.path=${data}`]
      : [`--web.listen-address=127.0.0.1:${port}`, `--storage.path=${data}`, '--cluster.listen-address='];
    const child = this.spawnChild(binary, [...args, ...own], {});
    await waitFor(`${program} ready on ${port}`, () => child.exitCode === null && fetch(`http://127.0.0.1:${port}/-/ready`).then((r) => r.ok), 30_000).catch((error: Error) => {
      throw new Error(`${error.message}\n${(child as unknown as { output: string }).output.slice(-2000)}`);
    });
  }

  /** A `curl …/api/v1/query` line: run until the answer is what the guide says at this point. */
  private async query(line: string): Promise<void> {
    const expected = line.includes('up{') ? undefined : this.declaredLocal ? declaredObjectives() : defaultObjectives();
    let last = '';
    await waitFor(`${line} to answer as the guide says`, async () => {
      last = await this.run(line);
      const result = (JSON.parse(last) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } }).data.result;
      if (!expected) return result.some((r) => r.value[1] === '1');
      const got = result.map((r) => ({ sli: r.metric.sli!, ...(r.metric.le ? { le: r.metric.le } : {}), value: Number(r.value[1]) })).sort((a, b) => a.sli.localeCompare(b.sli));
      return got.length === expected.length && got.every((g, i) => g.sli === expected[i]!.sli && g.le === expected[i]!.le && Math.abs(g.value - expected[i]!.value) < 1e-9);
    }, 60_000, 1_000).catch((error: Error) => {
      throw new Error(`${error.message}; its last answer: ${last}`);
    });
  }

  private async kubectl(line: string, words: string[]): Promise<void> {
    const file = words[words.indexOf('-f') + 1];
    if (words.includes('-k')) {
      this.monitoring = checkKustomization(words[words.indexOf('-k') + 1]!);
    } else if (words.includes('-n')) {
      expect(this.monitoring, `${line}: the monitoring kustomization is applied first`).toBeDefined();
      const metricsPort = await checkDeployment(resolve(this.cwd, file!), words[words.indexOf('-n') + 1]!, this.monitoring!);
      // The app serves /metrics on the port the Deployment names, not on its public port.
      const [http, metrics] = [await freePort(), await freePort()];
      await this.startApp({ PORT: String(http), [metricsPort.env]: String(metrics) });
      expect(await fetch(`http://127.0.0.1:${metrics}/metrics`).then((r) => r.text())).toContain('periscope_build_info{service="checkout"');
      expect((await fetch(`http://127.0.0.1:${http}/metrics`)).status).toBe(404);
    } else {
      checkObjectivesRule(resolve(this.cwd, file!), declaredObjectives());
    }
  }

  /** A stand-in for Grafana's HTTP API: records what the guide's curl lines post, answers as Grafana does. */
  private async startGrafana(): Promise<void> {
    const server: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        let parsed: Record<string, unknown>;
        try {
          parsed = JSON.parse(body) as Record<string, unknown>;
        } catch {
          res.writeHead(400).end('{"message":"bad request data"}');
          return;
        }
        this.grafanaRequests.push({ path: req.url ?? '', auth: req.headers.authorization, body: parsed });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"success"}');
      });
    });
    await new Promise<void>((done) => server.listen(this.port('grafana'), '127.0.0.1', done));
    this.cleanups.push(() => new Promise<void>((done) => server.close(() => done())));
  }

  private checkDatasource(): void {
    const [ds] = this.grafanaRequests.filter((r) => r.path === '/api/datasources');
    expect(ds?.auth).toBe(`Bearer ${this.env.GRAFANA_TOKEN}`);
    expect(ds?.body).toMatchObject({ type: 'prometheus', url: `http://localhost:${this.port('prometheus')}` });
  }

  private checkDashboards(): void {
    const posted = this.grafanaRequests.filter((r) => r.path === '/api/dashboards/db').map((r) => r.body);
    const shipped = globSync('deploy/grafana/dashboards/*.json', { cwd: ROOT }).map((f) => (JSON.parse(readFileSync(join(ROOT, f), 'utf8')) as { uid: string }).uid);
    expect(posted.map((p) => (p.dashboard as { uid: string }).uid).sort()).toEqual(shipped.sort());
    for (const { dashboard, overwrite } of posted as { dashboard: { templating: { list: { name: string; type: string; query: unknown }[] } }; overwrite: boolean }[]) {
      expect(overwrite).toBe(true);
      expect(dashboard.templating.list).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'datasource', type: 'datasource', query: 'prometheus' })]));
    }
  }
}

/** The default objectives of the stack, as `job:slo_objective:ratio` series. */
function defaultObjectives(): Objective[] {
  return [
    { sli: 'availability', value: DEFAULT_OBJECTIVES.availability / 100 },
    { sli: 'latency', le: String(DEFAULT_OBJECTIVES.latency.threshold), value: DEFAULT_OBJECTIVES.latency.objective / 100 },
  ];
}

/** The objectives of the guide's OpenSLO file, as `job:slo_objective:ratio` series. */
export function declaredObjectives(): Objective[] {
  const block = /```yaml\n# ~\/src\/checkout\/slo\/checkout\.yaml\n([\s\S]*?)```/.exec(readGuide())?.[1];
  if (!block) throw new Error("the guide's OpenSLO file (~/src/checkout/slo/checkout.yaml) is missing");
  return parseAllDocuments(block)
    .map((d) => d.toJS() as { spec: { indicatorRef: string; objectives: { target: number; value?: number }[] } })
    .map(({ spec }) => ({
      sli: spec.indicatorRef.replace(/^periscope-/, ''),
      ...(spec.objectives[0]!.value !== undefined ? { le: String(spec.objectives[0]!.value) } : {}),
      value: spec.objectives[0]!.target,
    }))
    .sort((a, b) => a.sli.localeCompare(b.sli));
}
