/**
 * Every publishable workspace packs as it would publish: only its build output, its command and
 * its docs; the Apache-2.0 licence; public access for a scoped name; no dependency on a workspace
 * that is not published; `npm publish --dry-run` with nothing to correct; and types that resolve
 * for every entry point from ES modules and from CommonJS (@arethetypeswrong/cli on the tarball).
 * Then the tarballs are installed together into a fresh project, as a user would before the
 * packages are on the npm registry: the command runs and each package imports and requires.
 * Needs `npm run build` first (the packages ship dist/).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, globSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const ATTW = join(ROOT, 'node_modules/@arethetypeswrong/cli/dist/index.js');

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  license?: string;
  publishConfig?: { access?: string };
  bin?: Record<string, string>;
  exports?: unknown;
  main?: string;
  types?: string;
  module?: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

interface PackedFile {
  path: string;
  size: number;
  mode: number;
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

const WORKSPACES = readJson<{ workspaces: string[] }>(join(ROOT, 'package.json'))
  .workspaces.flatMap((pattern) => globSync(pattern, { cwd: ROOT }))
  .filter((dir) => existsSync(join(ROOT, dir, 'package.json')))
  .map((dir) => ({ dir, pkg: readJson<Manifest>(join(ROOT, dir, 'package.json')) }));
const PUBLISHABLE = WORKSPACES.filter((w) => w.pkg.private !== true);
const BY_NAME = new Map(WORKSPACES.map((w) => [w.pkg.name, w]));

/** Every string in an `exports` map: the files its conditions point at. */
function exportTargets(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(exportTargets);
  return [];
}

/** True when some entry of the `exports` map has a `require` condition (a CommonJS build). */
function hasRequireCondition(value: unknown): boolean {
  if (!value || typeof value !== 'object') return false;
  return Object.entries(value).some(([k, v]) => k === 'require' || hasRequireCondition(v));
}

const strip = (path: string) => path.replace(/^\.\//, '');

/** The Apache License 2.0 as the Apache Software Foundation publishes it (LICENSE-2.0.txt). */
function isApache2(text: string): boolean {
  return (
    /^\s*Apache License\n\s*Version 2\.0, January 2004\n\s*http:\/\/www\.apache\.org\/licenses\/\n/.test(text) &&
    text.includes('TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION') &&
    text.includes('END OF TERMS AND CONDITIONS') &&
    text.includes('APPENDIX: How to apply the Apache License to your work.') &&
    text.split('\n').length >= 200
  );
}

describe('publishable packages', () => {
  it('are the three a user installs; the demo and the repository root stay private', () => {
    expect(PUBLISHABLE.map((w) => w.pkg.name).sort()).toEqual(['@periscope/cli', '@periscope/instrument', '@periscope/stack']);
    expect(readJson<Manifest>(join(ROOT, 'package.json')).private).toBe(true);
  });

  it('depend on no workspace package that is not published, at a range its version satisfies', () => {
    for (const { pkg } of PUBLISHABLE) {
      const deps = { ...pkg.dependencies, ...pkg.optionalDependencies, ...pkg.peerDependencies };
      for (const [name, range] of Object.entries(deps)) {
        const workspace = BY_NAME.get(name);
        if (!workspace) continue;
        expect({ from: pkg.name, dependency: name, private: workspace.pkg.private === true }).toEqual({ from: pkg.name, dependency: name, private: false });
        expect({ from: pkg.name, dependency: name, range }).toEqual({ from: pkg.name, dependency: name, range: `^${workspace.pkg.version}` });
      }
    }
  });

  it('the repository root carries the Apache-2.0 licence its package.json names', () => {
    expect(readJson<Manifest>(join(ROOT, 'package.json')).license).toBe('Apache-2.0');
    expect(isApache2(readFileSync(join(ROOT, 'LICENSE'), 'utf8'))).toBe(true);
  });
});

describe.each(PUBLISHABLE)('$pkg.name', ({ dir, pkg }) => {
  const cwd = join(ROOT, dir);
  let out: string;
  let tarball: string;
  let files: PackedFile[];

  beforeAll(() => {
    for (const target of exportTargets(pkg.exports).filter((t) => t.startsWith('./dist/'))) {
      if (!existsSync(join(cwd, target))) throw new Error(`${dir}/${strip(target)} is missing: run \`npm run build\` first`);
    }
    out = mkdtempSync(join(tmpdir(), 'periscope-pack-'));
    const pack = spawnSync(NPM, ['pack', '--json', '--pack-destination', out], { cwd, encoding: 'utf8' });
    if (pack.status !== 0) throw new Error(`npm pack failed in ${dir}: ${pack.stderr}`);
    const [result] = JSON.parse(pack.stdout) as { filename: string; files: PackedFile[] }[];
    tarball = join(out, result!.filename);
    files = result!.files;
  });
  afterAll(() => {
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('packs only its build output (dist/), its command and its docs (README, CHANGELOG, LICENSE)', () => {
    const bins = Object.values(pkg.bin ?? {}).map(strip);
    const unexpected = files
      .map((f) => f.path)
      .filter((p) => !p.startsWith('dist/') && !['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE'].includes(p) && !bins.includes(p));
    expect(unexpected).toEqual([]);
    const paths = files.map((f) => f.path);
    expect(paths).toContain('README.md');
    expect(paths).toContain('LICENSE');
    expect(paths.filter((p) => p.startsWith('dist/')).length).toBeGreaterThan(0);
  });

  it('holds every file its exports, main, types and bin point at; the command is executable', () => {
    const paths = new Set(files.map((f) => f.path));
    const targets = [...exportTargets(pkg.exports), pkg.main, pkg.module, pkg.types, ...Object.values(pkg.bin ?? {})]
      .filter((t): t is string => t !== undefined)
      .map(strip);
    expect(targets.filter((t) => !paths.has(t))).toEqual([]);
    for (const bin of Object.values(pkg.bin ?? {})) {
      const file = files.find((f) => f.path === strip(bin))!;
      expect({ bin, executable: (file.mode & 0o111) !== 0 }).toEqual({ bin, executable: true });
    }
  });

  it('ships the Apache-2.0 licence, the same text as the repository root', () => {
    expect(pkg.license).toBe('Apache-2.0');
    const text = readFileSync(join(cwd, 'LICENSE'), 'utf8');
    expect(isApache2(text)).toBe(true);
    expect(text).toBe(readFileSync(join(ROOT, 'LICENSE'), 'utf8'));
  });

  it('publishes with public access (a scoped name would otherwise publish as restricted)', () => {
    expect(pkg.publishConfig?.access).toBe('public');
  });

  it('npm publish --dry-run has nothing to correct or warn about, beyond not being logged in', () => {
    // At npm's own log level: `npm test` runs with --silent, which its children would inherit.
    const run = spawnSync(NPM, ['publish', '--dry-run', '--offline', '--loglevel', 'notice'], { cwd, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const warnings = run.stderr
      .split('\n')
      .filter((l) => /^npm (warn|error|ERR)/i.test(l))
      .filter((l) => !/requires you to be logged in/.test(l));
    expect(warnings).toEqual([]);
    expect(run.stderr).toMatch(/with tag latest and public access/);
  });

  it('has types for every entry point from ES modules and from CommonJS (@arethetypeswrong/cli)', () => {
    const dual = hasRequireCondition(pkg.exports);
    // An ESM-only package is required from CommonJS through Node's require(esm) (Node 22.12 and
    // later, so every Node the packages support); attw's rule for that case is a warning about
    // older TypeScript settings, not a missing type.
    const ignore = dual ? [] : ['--ignore-rules', 'cjs-resolves-to-esm'];
    const run = spawnSync(process.execPath, [ATTW, tarball, '--profile', 'node16', '--format', 'json', ...ignore], { encoding: 'utf8' });
    expect(run.status, run.stdout.slice(0, 2000) + run.stderr).toBe(0);
    const { analysis } = JSON.parse(run.stdout) as {
      analysis: { entrypoints: Record<string, { resolutions: Record<string, { resolution?: { fileName: string; isTypeScript: boolean } }> }> };
    };
    const entrypoints = Object.keys(analysis.entrypoints).filter((e) => e !== './package.json');
    expect(entrypoints.length).toBeGreaterThan(0);
    for (const entry of entrypoints) {
      for (const kind of ['node16-esm', 'node16-cjs', 'bundler']) {
        const resolved = analysis.entrypoints[entry]!.resolutions[kind]?.resolution;
        expect({ entry, kind, types: resolved?.fileName.endsWith('.d.ts') }).toEqual({ entry, kind, types: true });
        if (dual && kind === 'node16-cjs') expect(resolved!.fileName, entry).toMatch(/\/dist\/cjs\//);
        if (dual && kind === 'node16-esm') expect(resolved!.fileName, entry).toMatch(/\/dist\/esm\//);
      }
    }
  });
});

describe('the packed tarballs, installed together in a fresh project', () => {
  let project: string;

  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), 'periscope-install-'));
    const workspaces = PUBLISHABLE.flatMap((w) => ['-w', w.pkg.name]);
    const pack = spawnSync(NPM, ['pack', ...workspaces, '--json', '--pack-destination', project], { cwd: ROOT, encoding: 'utf8' });
    if (pack.status !== 0) throw new Error(`npm pack failed: ${pack.stderr}`);
    const tarballs = (JSON.parse(pack.stdout) as { filename: string }[]).map((p) => `./${p.filename}`);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'a-service', version: '1.0.0', private: true }));
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_')));
    const install = spawnSync(NPM, ['install', ...tarballs, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: project, encoding: 'utf8', env });
    if (install.status !== 0) throw new Error(`npm install of the tarballs failed: ${install.stderr}`);
  }, 240_000);
  afterAll(() => {
    if (project) rmSync(project, { recursive: true, force: true });
  });

  it('links the periscope command, which runs from the installed files', () => {
    const run = spawnSync(process.execPath, [join(project, 'node_modules/.bin/periscope'), '--help'], { cwd: project, encoding: 'utf8' });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(run.stdout).toMatch(/^usage: periscope trace/);
  });

  it('resolves each package from ES modules and from CommonJS (require of an ESM-only package works on the supported Nodes)', () => {
    for (const { pkg } of PUBLISHABLE) {
      const name = JSON.stringify(pkg.name);
      const esm = spawnSync(process.execPath, ['--input-type=module', '-e', `const m = await import(${name}); console.log(Object.keys(m).length)`], { cwd: project, encoding: 'utf8' });
      const cjs = spawnSync(process.execPath, ['-e', `console.log(Object.keys(require(${name})).length)`], { cwd: project, encoding: 'utf8' });
      expect({ name: pkg.name, esm: esm.status, cjs: cjs.status, errors: esm.stderr + cjs.stderr }).toEqual({ name: pkg.name, esm: 0, cjs: 0, errors: '' });
      expect(Number(esm.stdout)).toBeGreaterThan(0);
      expect(Number(cjs.stdout)).toBe(Number(esm.stdout));
    }
  });
});
