// Entry point of `npm test`, `npm run demo`, `npm run fault` and `npm run bench` on a fresh clone:
// installs the dependencies when they are missing or stale (the repo's own Node 22 among them),
// then runs the named npm script with node_modules/.bin (and so Node 22) first on PATH.
// Runs on any Node.js from 18 on, the machine's own included.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants } from 'node:os';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [script, ...args] = process.argv.slice(2);
if (!script) {
  console.error('usage: node scripts/run.mjs <npm script> [args...]');
  process.exit(2);
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const bin = join(root, 'node_modules', '.bin');
const marker = join(root, 'node_modules', '.package-lock.json');
const stale = !existsSync(join(bin, 'node')) || !existsSync(marker) || statSync(join(root, 'package-lock.json')).mtimeMs > statSync(marker).mtimeMs + 1000;
if (stale) {
  console.error('periscope: installing dependencies (npm ci) ...');
  const ci = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (ci.status !== 0) {
    console.error('periscope: `npm ci` failed; see above.');
    process.exit(ci.status ?? 1);
  }
}

const child = spawn(npm, ['run', '--silent', script, ...(args.length ? ['--', ...args] : [])], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` },
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
