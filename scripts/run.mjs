// Entry point of `npm test`, `npm run demo`, `npm run fault` and `npm run bench` on a fresh clone:
// installs the dependencies when they are missing (the repo's own Node 22 among them),
// then runs the named npm script with node_modules/.bin (and so Node 22) first on PATH.
// Runs on any Node.js from 18 on, the machine's own included.
//
// Quiet where it can be: `npm ci` runs at --loglevel=error (on an older system Node it would print
// an EBADENGINE warning per package that wants Node 22 — 39 of them on Node 20, five lines each —
// though what it installs runs on the repo's Node 22); its errors still show.
// Stops cleanly: the script runs in a process group of its own, and SIGINT, SIGTERM or SIGHUP
// sent to this process (or SIGINT/SIGTERM to the npm that started it, which forwards them to its
// child — this process, as package.json's scripts `exec` it instead of leaving a shell between
// that would swallow them) goes to that whole
// group — npm, its shell and the program — so `kill -INT <npm's pid>` stops `npm run demo` as
// Ctrl-C does. When the process that started this one goes away without a signal, the group
// gets SIGTERM too.
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
const missing = !existsSync(join(bin, 'node')) || !existsSync(marker);
// A lock file newer than the install is only reported: `npm ci` empties node_modules first, which
// would pull the ground from under a demo or a test running from this tree (`npm run fault` is
// typically run while `npm run demo` is up).
if (!missing && statSync(join(root, 'package-lock.json')).mtimeMs > statSync(marker).mtimeMs + 1000) {
  console.error('periscope: package-lock.json changed since the last install; run `npm ci` once nothing runs from this tree.');
}
if (missing) {
  console.error('periscope: installing dependencies (npm ci) ...');
  const ci = spawnSync(npm, ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: root, stdio: 'inherit' });
  if (ci.status !== 0) {
    console.error('periscope: `npm ci` failed; see above.');
    process.exit(ci.status ?? 1);
  }
}

const child = spawn(npm, ['run', '--silent', script, ...(args.length ? ['--', ...args] : [])], {
  cwd: root,
  stdio: 'inherit',
  detached: true, // its own process group, so one signal reaches npm, its shell and the program
  env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` },
});

/** Sends `signal` to the child's process group (a group already gone is not an error). */
function signalChild(signal) {
  try {
    process.kill(-child.pid, signal);
  } catch (err) {
    if (err.code !== 'ESRCH') throw err;
  }
}
let received;
let forwardedAt = -Infinity;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    // Ctrl-C reaches this process twice (from the terminal and forwarded by npm): forward once.
    // A signal more than a second later is forwarded again (the demo then stops at once).
    received = signal;
    if (Date.now() - forwardedAt < 1000) return;
    forwardedAt = Date.now();
    signalChild(signal);
  });
}
// The parent (npm) gone without a signal reaching us: stop the child as if SIGTERM had come.
const parent = process.ppid;
const watch = setInterval(() => {
  if (process.ppid !== parent && received === undefined) {
    received = 'SIGTERM';
    signalChild('SIGTERM');
  }
}, 1000);
watch.unref();

/** True while any process of the child's group is alive. */
function groupAlive() {
  try {
    process.kill(-child.pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}
child.on('exit', (code, signal) => {
  clearInterval(watch);
  const status = code ?? 128 + (constants.signals[signal] ?? 0);
  // The shell may end before the program it ran has finished stopping: wait for the group (≤ 15 s).
  const until = Date.now() + 15_000;
  const done = setInterval(() => {
    if (groupAlive() && Date.now() < until) return;
    clearInterval(done);
    process.exit(status);
  }, 100);
});
