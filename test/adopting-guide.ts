/**
 * docs/adopting.md as steps a reader follows: its code blocks in order, each either a file to
 * write (a first-line comment `# ~/path` or `// ~/path` names it) or shell command lines, under
 * the heading they appear in; and the means to follow them in a scratch home: `~` expansion,
 * the loopback ports the guide names swapped for free ones, a YAML merge for snippets that go
 * into a file the reader already has, and a shell to run a line in.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, globSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const GUIDE = 'docs/adopting.md';

/** A file the guide shows in full (or a snippet to merge into one it had the reader copy). */
export interface FileStep {
  kind: 'file';
  /** The `## ` section, and the nearest `## ` or `### ` heading. */
  section: string;
  heading: string;
  path: string;
  lang: string;
  text: string;
}

/** One command line of a shell block, comment taken off. */
export interface CommandStep {
  kind: 'command';
  section: string;
  heading: string;
  line: string;
}

export type Step = FileStep | CommandStep;

/** The guide's code blocks in order, as steps; throws on a block that is neither a file nor shell. */
export function guideSteps(markdown: string): Step[] {
  const steps: Step[] = [];
  let section = '';
  let heading = '';
  const parts = markdown.split(/^(```[^\n]*\n[\s\S]*?^```)$/m);
  for (const part of parts) {
    const fence = /^```(\S*)\n([\s\S]*?)```$/.exec(part);
    if (!fence) {
      for (const [, level, title] of part.matchAll(/^(#{2,3}) (.+)$/gm)) {
        heading = title!;
        if (level === '##') section = title!;
      }
      continue;
    }
    const [, lang, body] = fence;
    if (lang === 'sh') {
      for (const raw of body!.split('\n')) {
        const line = raw.replace(/\s+#\s.*$/, '').trim();
        if (line !== '') steps.push({ kind: 'command', section, heading, line });
      }
      continue;
    }
    const path = /^(?:#|\/\/) (~\/\S+)/.exec(body!)?.[1];
    if (!path) throw new Error(`${GUIDE}: a \`\`\`${lang} block under "${heading}" names no file on its first line:\n${body}`);
    steps.push({ kind: 'file', section, heading, path, lang: lang!, text: body! });
  }
  return steps;
}

/** How many fenced blocks the guide has, and how many of them are shell blocks. */
export function fenceCount(markdown: string): { all: number; sh: number } {
  const infos = [...markdown.matchAll(/^```(\S*)\n[\s\S]*?^```$/gm)].map((m) => m[1]);
  return { all: infos.length, sh: infos.filter((i) => i === 'sh').length };
}

/** Links every entry of the repo's folder `dir` into `to`, but makes `own` real, empty folders there. */
function linkTree(dir: string, to: string, own: readonly string[]): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(join(ROOT, dir))) {
    if (own.includes(entry)) mkdirSync(join(to, entry));
    else symlinkSync(join(ROOT, dir, entry), join(to, entry));
  }
}

/**
 * A scratch home as the guide assumes it: `~/src/periscope` a clone (the repo's packages and
 * dependencies linked, deploy/ linked but for deploy/prometheus/objectives/, which is the
 * scratch's own, and alerts/*.rules.yml copied, so that what the guide writes into the clone
 * stays in the scratch), `~/src/checkout` an existing ESM service with only a package.json.
 */
export function scratchHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'periscope-adopting-'));
  const clone = join(home, 'src', 'periscope');
  mkdirSync(join(clone, 'alerts'), { recursive: true });
  for (const entry of ['package.json', 'package-lock.json', 'packages', 'stack', 'node_modules']) symlinkSync(join(ROOT, entry), join(clone, entry));
  linkTree('deploy', join(clone, 'deploy'), ['prometheus']);
  linkTree('deploy/prometheus', join(clone, 'deploy', 'prometheus'), ['objectives']);
  for (const rules of globSync('alerts/*.rules.yml', { cwd: ROOT })) copyFileSync(join(ROOT, rules), join(clone, rules));
  const app = join(home, 'src', 'checkout');
  mkdirSync(app, { recursive: true });
  writeFileSync(join(app, 'package.json'), `${JSON.stringify({ name: 'checkout', version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`);
  return home;
}

/** `~/…` (also after `=` or inside quotes) with `home` put in. */
export function expandHome(text: string, home: string): string {
  return text.replace(/(^|[\s=:'"(])~\//g, `$1${home}/`);
}

/** `localhost:P` and `127.0.0.1:P` for every port P of `ports` rewritten to its replacement. */
export function rewritePorts(text: string, ports: ReadonlyMap<number, number>): string {
  return text.replace(/\b(localhost|127\.0\.0\.1):(\d+)\b/g, (all, host: string, port: string) => {
    const to = ports.get(Number(port));
    return to === undefined ? all : `${host}:${to}`;
  });
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const named = (v: unknown) => isObject(v) && typeof v.name === 'string';

/**
 * A snippet merged into a file the reader has: maps merge key by key; lists of named items
 * (receivers) merge by name, the snippet's replacing the file's; other lists (routes) get the
 * snippet's items first, as the guide says to add them.
 */
export function mergeInto(base: unknown, patch: unknown): unknown {
  if (Array.isArray(base) && Array.isArray(patch)) {
    if (base.every(named) && patch.every(named)) {
      const out = base.map((item) => patch.find((p) => (p as { name: string }).name === (item as { name: string }).name) ?? item);
      return [...out, ...patch.filter((p) => !base.some((b) => (b as { name: string }).name === (p as { name: string }).name))];
    }
    return [...patch, ...base];
  }
  if (isObject(base) && isObject(patch)) {
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(patch)) out[key] = key in base ? mergeInto(base[key], value) : value;
    return out;
  }
  return patch;
}

/**
 * The environment of a reader's shell: none of this repo's npm, Periscope or OpenTelemetry
 * variables, the scratch HOME, this Node first on PATH and the repo's node_modules/.bin not on it
 * (`npx periscope` must come from the service's own install). npm keeps the user's cache and
 * prefers it (`--prefer-offline`), without audit or fund requests.
 */
export function readerEnv(home: string): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|PERISCOPE_|OTEL_|VITEST|NODE_OPTIONS)/i.test(k)));
  const path = (process.env.PATH ?? '').split(delimiter).filter((p) => p !== '' && !p.startsWith(ROOT));
  return {
    ...env,
    HOME: home,
    PATH: [dirname(process.execPath), ...path].join(delimiter),
    npm_config_cache: process.env.npm_config_cache ?? join(homedir(), '.npm'),
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_loglevel: 'error',
  };
}

export interface ShellResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs one command line with bash in `cwd`, bounded in time (killed after `timeoutMs`).
 * Asynchronous, so that servers in this process (the Grafana stand-in) can answer it.
 */
export function shell(line: string, cwd: string, env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<ShellResult> {
  return new Promise((done) => {
    const child = spawn('bash', ['-o', 'pipefail', '-c', line], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      stderr += `\nkilled after ${timeoutMs} ms`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => (stderr += `\n${error.message}`));
    child.on('close', (status) => {
      clearTimeout(timer);
      done({ status, stdout, stderr });
    });
  });
}

/** The guide's text. */
export function readGuide(): string {
  return readFileSync(join(ROOT, GUIDE), 'utf8');
}
