// Builds the package twice from one source: ESM (dist/esm) and CommonJS (dist/cjs), each with
// type declarations. A package.json in each folder tells Node which module system it holds.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync, existsSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const dist = join(root, 'dist');
// Build into a fresh folder and swap it in at the end, so anything importing the package while
// it builds (a test, a running demo) never finds dist/ missing.
const staging = join(root, `.dist-${process.pid}`);
rmSync(staging, { recursive: true, force: true });
const builds = [
  { dir: 'esm', module: 'NodeNext', type: 'module' },
  { dir: 'cjs', module: 'CommonJS', moduleResolution: 'Node10', type: 'commonjs' },
];
for (const b of builds) {
  const out = join(staging, b.dir);
  const args = [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', out, '--module', b.module];
  if (b.moduleResolution) args.push('--moduleResolution', b.moduleResolution, '--ignoreDeprecations', '6.0');
  execFileSync(process.execPath, args, { stdio: 'inherit', cwd: root });
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'package.json'), JSON.stringify({ type: b.type }) + '\n');
}
const old = join(root, `.dist-old-${process.pid}`);
if (existsSync(dist)) renameSync(dist, old);
renameSync(staging, dist);
rmSync(old, { recursive: true, force: true });
