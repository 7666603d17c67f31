/**
 * One Node.js statement, the same everywhere. The publishable packages share one `engines` floor,
 * the highest that their production dependencies declare (below it npm warns EBADENGINE for
 * them); every README that says "Node.js X or later" says that floor — except the root README's
 * line for the root scripts, which run on any Node from the root `engines` on, because they install
 * and then use the repo's own Node 22.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, globSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

interface Manifest {
  name: string;
  private?: boolean;
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  workspaces?: string[];
}
interface LockEntry {
  engines?: { node?: string } | string[];
  dependencies?: Record<string, string>;
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as T;
const ROOT_PKG = readJson<Manifest>('package.json');
const WORKSPACES = ROOT_PKG.workspaces!.flatMap((p) => globSync(p, { cwd: ROOT }))
  .filter((dir) => existsSync(join(ROOT, dir, 'package.json')))
  .map((dir) => ({ dir, pkg: readJson<Manifest>(`${dir}/package.json`) }));
const PUBLISHABLE = WORKSPACES.filter((w) => w.pkg.private !== true);
const LOCK = readJson<{ packages: Record<string, LockEntry> }>('package-lock.json').packages;

/** `>=22.15` → [22, 15, 0]; undefined for any other form of range. */
function floorOf(range: string | undefined): number[] | undefined {
  const m = range?.trim().match(/^>=\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/);
  return m ? [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)] : undefined;
}
const compare = (a: number[], b: number[]) => a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!;
const show = (v: number[]) => (v[2] ? v.join('.') : v[1] ? `${v[0]}.${v[1]}` : `${v[0]}`);

const PACKAGE_FLOOR = floorOf(PUBLISHABLE[0]?.pkg.engines?.node);
const ROOT_FLOOR = floorOf(ROOT_PKG.engines?.node);

/** Every "Node.js X or later" (X like 22 or 22.15) in a doc. */
const statements = (text: string) => [...text.matchAll(/Node\.js (\d+(?:\.\d+){0,2}) or later/g)].map((m) => m[1]!);

/** The production dependencies a package brings, transitively, as the lock file resolves them. */
function dependencyTree(dir: string): Map<string, LockEntry> {
  const found = new Map<string, LockEntry>();
  const queue: { from: string; deps: Record<string, string> }[] = [{ from: dir, deps: LOCK[dir]?.dependencies ?? {} }];
  while (queue.length > 0) {
    const { from, deps } = queue.shift()!;
    for (const name of Object.keys(deps)) {
      // Node's lookup: the nearest node_modules up from the dependent's folder.
      let base = from;
      let key: string | undefined;
      for (;;) {
        const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
        if (LOCK[candidate]) {
          key = candidate;
          break;
        }
        if (!base) break;
        base = base.includes('node_modules/') ? base.slice(0, base.lastIndexOf('/node_modules/')) : '';
      }
      if (!key || found.has(key)) continue;
      const entry = LOCK[key]!;
      found.set(key, entry);
      // A workspace dependency is a link: follow it to the workspace's own entry.
      const resolved = (entry as { link?: boolean; resolved?: string }).link ? (entry as { resolved: string }).resolved : key;
      queue.push({ from: resolved, deps: LOCK[resolved]?.dependencies ?? {} });
    }
  }
  return found;
}

describe('Node.js versions', () => {
  it('the publishable packages share one engines floor, written ">=X.Y"', () => {
    expect(PACKAGE_FLOOR).toBeDefined();
    for (const { pkg } of PUBLISHABLE) expect({ name: pkg.name, engines: pkg.engines?.node }).toEqual({ name: pkg.name, engines: PUBLISHABLE[0]!.pkg.engines!.node });
  });

  it('every other workspace states no engines, or the same', () => {
    for (const { pkg } of WORKSPACES) if (pkg.engines?.node !== undefined) expect({ name: pkg.name, engines: pkg.engines.node }).toEqual({ name: pkg.name, engines: PUBLISHABLE[0]!.pkg.engines!.node });
  });

  it('the floor is the highest that the packages\' production dependencies declare (no EBADENGINE above it)', () => {
    const floors: { name: string; floor: number[] }[] = [];
    for (const { dir } of PUBLISHABLE) {
      for (const [key, entry] of dependencyTree(dir)) {
        const floor = floorOf(Array.isArray(entry.engines) ? undefined : entry.engines?.node);
        if (floor) floors.push({ name: key.replace(/^.*node_modules\//, ''), floor });
      }
    }
    const highest = floors.reduce((a, b) => (compare(a.floor, b.floor) >= 0 ? a : b));
    expect({ highest: show(highest.floor), of: highest.name, packages: show(PACKAGE_FLOOR!) }).toEqual({ highest: show(PACKAGE_FLOOR!), of: highest.name, packages: show(PACKAGE_FLOOR!) });
  });

  it('the repository root asks only for a Node that can install the repo\'s own Node 22, lower than the packages\' floor', () => {
    expect(ROOT_FLOOR).toBeDefined();
    expect(compare(ROOT_FLOOR!, PACKAGE_FLOOR!)).toBeLessThan(0);
    const bundled = ROOT_PKG as Manifest & { devDependencies: Record<string, string> };
    const own = floorOf(`>=${bundled.devDependencies.node}`);
    expect(own && compare(own, PACKAGE_FLOOR!) >= 0, `the repo's own Node ${bundled.devDependencies.node} meets the packages' floor`).toBe(true);
  });

  it('the READMEs and docs say the same: the packages\' floor, and the root README the root scripts\' floor too', () => {
    const readmes = ['README.md', ...PUBLISHABLE.map((w) => `${w.dir}/README.md`)];
    const rootText = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(statements(rootText)).toEqual(expect.arrayContaining([show(ROOT_FLOOR!), show(PACKAGE_FLOOR!)]));
    for (const doc of readmes) {
      const said = statements(readFileSync(join(ROOT, doc), 'utf8'));
      const allowed = doc === 'README.md' ? [show(ROOT_FLOOR!), show(PACKAGE_FLOOR!)] : [show(PACKAGE_FLOOR!)];
      expect({ doc, said: said.length > 0 }).toEqual({ doc, said: true });
      expect({ doc, said: [...new Set(said)].filter((v) => !allowed.includes(v)) }).toEqual({ doc, said: [] });
    }
    // Any other doc that states a floor states the packages' one.
    for (const doc of globSync('docs/**/*.md', { cwd: ROOT })) {
      const said = statements(readFileSync(join(ROOT, doc), 'utf8'));
      expect({ doc, said: [...new Set(said)].filter((v) => v !== show(PACKAGE_FLOOR!)) }).toEqual({ doc, said: [] });
    }
    // The old, contradicting forms: "Node.js 22 or 24" as a requirement.
    for (const doc of readmes) expect(readFileSync(join(ROOT, doc), 'utf8'), doc).not.toMatch(/Node\.js \d+ or \d+[;,.]/);
  });

  it('scripts/check-node.mjs holds a script to the packages\' floor (read from engines)', () => {
    const ok = spawnSync(process.execPath, [join(ROOT, 'scripts/check-node.mjs')], { encoding: 'utf8' });
    expect(ok.status, ok.stderr).toBe(0);
    expect(readFileSync(join(ROOT, 'scripts/check-node.mjs'), 'utf8')).toContain('packages/instrument/package.json');
  });
});
