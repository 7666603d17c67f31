/**
 * The generated files are current, and `npm run generate` is what makes them: in a scratch copy of
 * the repository without any file `.gitattributes` marks `linguist-generated`, the one command
 * builds and runs every generator in order and must write each of those files back exactly as
 * committed — and nothing else. A file marked by mistake is not written back; a generator that
 * runs before the outputs it copies (k8s before the dashboards) writes them differently.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

function git(args: string[], input?: string): string {
  return spawnSync('git', args, { cwd: ROOT, encoding: 'utf8', input, maxBuffer: 16 * 1024 * 1024 }).stdout;
}

/** Tracked files present in the work tree. */
const tracked = git(['ls-files', '-z']).split('\0').filter((f) => f !== '' && existsSync(join(ROOT, f)));

/** Tracked files marked generated, as git itself reads .gitattributes. */
const generated = (() => {
  const fields = git(['check-attr', '-z', '--stdin', 'linguist-generated'], tracked.join('\0')).split('\0');
  const marked: string[] = [];
  for (let i = 0; i + 2 < fields.length; i += 3) if (fields[i + 2] === 'true') marked.push(fields[i]!);
  return marked.sort();
})();

/**
 * node_modules for the copy: every installed package linked to the real one, the workspace links
 * (relative) and .bin kept as they are, so `@periscope/stack` and `periscope` resolve to the copy.
 */
function mirrorNodeModules(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (entry.name === '.cache') continue;
    const source = join(from, entry.name);
    if (entry.isSymbolicLink()) symlinkSync(readlinkSync(source), join(to, entry.name));
    else if (entry.isDirectory() && (entry.name.startsWith('@') || entry.name === '.bin')) mirrorNodeModules(source, join(to, entry.name));
    else symlinkSync(source, join(to, entry.name));
  }
}

/** Files under `dir` (relative to it), leaving out dependencies and build output. */
function filesUnder(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.dist-') || entry.name.endsWith('.tsbuildinfo')) return [];
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path, base) : [relative(base, path)];
  });
}

describe('npm run generate', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'periscope-generate-'));
  const generatedSet = new Set(generated);
  let run: ReturnType<typeof spawnSync>;

  beforeAll(() => {
    for (const file of tracked.filter((f) => !generatedSet.has(f))) {
      mkdirSync(dirname(join(scratch, file)), { recursive: true });
      copyFileSync(join(ROOT, file), join(scratch, file));
    }
    mirrorNodeModules(join(ROOT, 'node_modules'), join(scratch, 'node_modules'));
    run = spawnSync('npm', ['run', 'generate', '--silent'], { cwd: scratch, encoding: 'utf8', timeout: 540_000 });
  }, 600_000);

  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('has outputs to regenerate: every kind that .gitattributes marks', () => {
    for (const kind of ['alerts/slo.rules.yml', 'alerts/tests/fixtures/objectives.rules.yml', 'demo-services/slo.rules.yml', 'deploy/grafana/dashboards/',
      'deploy/k8s/base/alloy/generated/', 'deploy/k8s/base/monitoring/rules/', 'deploy/k8s/base/monitoring/dashboards/', 'deploy/k8s/base/apps/slo-objectives.yaml']) {
      expect(generated.some((f) => f.startsWith(kind)), kind).toBe(true);
    }
  });

  it('runs to the end in a copy without the generated files', () => {
    expect(run.status, String(run.stderr)).toBe(0);
  });

  it('writes every generated file back as committed', () => {
    const differing = generated.filter((f) => !existsSync(join(scratch, f)) || readFileSync(join(scratch, f), 'utf8') !== readFileSync(join(ROOT, f), 'utf8'));
    expect(differing, 'regenerate with `npm run generate` and commit the result').toEqual([]);
  });

  it('writes no file that .gitattributes does not mark as generated', () => {
    const unmarked = filesUnder(scratch).filter((f) => !generatedSet.has(f) && (!existsSync(join(ROOT, f)) || readFileSync(join(scratch, f), 'utf8') !== readFileSync(join(ROOT, f), 'utf8')));
    expect(unmarked).toEqual([]);
  });
});
