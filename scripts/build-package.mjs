// Builds a TypeScript workspace (the one in the current directory) as ES modules with type
// declarations into dist/, from its tsconfig.build.json. Used by @periscope/cli and
// @periscope/stack (`"build": "node ../../scripts/build-package.mjs"` or the like).
import { execFileSync } from 'node:child_process';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = process.cwd();
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const dist = join(root, 'dist');
// Build into a fresh folder and swap it in at the end, so a command run while it builds never
// finds dist/ missing.
const staging = join(root, `.dist-${process.pid}`);
rmSync(staging, { recursive: true, force: true });
try {
  execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', staging], { stdio: 'inherit', cwd: root });
} catch {
  rmSync(staging, { recursive: true, force: true });
  process.exit(1);
}
const old = join(root, `.dist-old-${process.pid}`);
if (existsSync(dist)) renameSync(dist, old);
renameSync(staging, dist);
rmSync(old, { recursive: true, force: true });
