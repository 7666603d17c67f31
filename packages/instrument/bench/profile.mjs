// node bench/profile.mjs VARIANT [seconds]: one variant's server (server.mjs) under wrk, pinned
// as in the bench, with a CPU profile of the loaded window (startup and warm-up left out), the
// event loop's delay histogram over the same window, and optionally --trace-gc and a heap
// snapshot. Prints the CPU per request and where it goes (self time per request by function and
// by package). Files go to PROFILE_DIR (default: a folder in the system's temp dir).
//
// Environment: PROFILE_GC=1 (--trace-gc; the GC lines are counted and kept), PROFILE_HEAP=1 (a
// heap snapshot in the middle of the window), PROFILE_TOP (functions listed, 25), PROFILE_RATE
// (a paced rate in req/s instead of wrk at full speed), and the OTLP sink of node-run.mjs.
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOAD_CPU, SERVER_CPU, paced, pin, saturate } from './load.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const [variant = 'd', secondsArg = '8'] = process.argv.slice(2);
const seconds = Number(secondsArg);
const dir = process.env.PROFILE_DIR ?? mkdtempSync(join(tmpdir(), 'periscope-profile-'));
mkdirSync(dir, { recursive: true });
const tag = `${variant}-node${process.versions.node.split('.')[0]}`;

pin(process.pid, LOAD_CPU);
let exportRequests = 0;
let exportBytes = 0;
const sink = createServer((req, res) => {
  req.on('data', (d) => (exportBytes += d.length));
  req.on('end', () => {
    exportRequests++;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});
await new Promise((r) => sink.listen(0, '127.0.0.1', r));
const execArgv = process.env.PROFILE_GC === '1' ? ['--trace-gc'] : [];
const child = fork(join(here, 'server.mjs'), [], {
  execArgv,
  env: { ...process.env, VARIANT: variant, LOG_FILE: join(dir, `${tag}.log`), OTLP_URL: `http://127.0.0.1:${sink.address().port}` },
  stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
});
let gcLines = [];
child.stdout.on('data', (d) => gcLines.push(...String(d).split('\n').filter((l) => l.includes('ms: '))));
pin(child.pid, SERVER_CPU);
const port = await new Promise((r) => child.once('message', (m) => r(m.port)));
const url = `http://127.0.0.1:${port}/users/42`;
const ask = (message, key) =>
  new Promise((resolve) => {
    const on = (m) => {
      if (m[key] === undefined) return;
      child.off('message', on);
      resolve(m);
    };
    child.on('message', on);
    child.send(message);
  });

await saturate(url, 50, 2); // warm-up: the JIT settles before the window
gcLines = [];
const profileFile = join(dir, `${tag}.cpuprofile`);
await ask({ profile: 'start' }, 'profiled');
await ask({ profile: 'delay-start' }, 'profiled');
const cpu0 = (await ask('cpu', 'cpu')).cpu;
const heap = process.env.PROFILE_HEAP === '1' ? new Promise((r) => setTimeout(r, (seconds * 1000) / 2)).then(() => ask({ profile: 'heap', file: join(dir, `${tag}.heapsnapshot`) }, 'profiled')) : undefined;
const rate = process.env.PROFILE_RATE ? Number(process.env.PROFILE_RATE) : undefined;
const load = rate ? await paced(url, rate, seconds) : await saturate(url, 50, seconds);
const cpu1 = (await ask('cpu', 'cpu')).cpu;
await heap;
const { delay } = await ask({ profile: 'delay-stop' }, 'delay');
await ask({ profile: 'stop', file: profileFile }, 'profiled');
const { rss } = await ask('rss', 'rss');
child.disconnect();
sink.close();

const requests = rate ? load.count : load.requests;
console.log(`${tag}: ${requests} requests, ${((cpu1 - cpu0) / requests).toFixed(1)} µs CPU/request, p99 ${load.p99.toFixed(2)} ms, RSS ${(rss / 1048576).toFixed(0)} MB`);
console.log(`event-loop delay over the window: p50 ${delay.p50.toFixed(2)} ms, p99 ${delay.p99.toFixed(2)} ms, max ${delay.max.toFixed(2)} ms; OTLP: ${exportRequests} requests, ${(exportBytes / 1e6).toFixed(1)} MB`);
if (gcLines.length) {
  writeFileSync(join(dir, `${tag}.gc.txt`), gcLines.join('\n'));
  const kinds = {};
  for (const l of gcLines) {
    const kind = /(Scavenge|Mark-Compact|Mark-sweep|Minor Mark-Sweep|MinorMS)/.exec(l)?.[1] ?? 'other';
    const ms = Number(/([\d.]+) \/ [\d.]+ ms/.exec(l)?.[1] ?? 0);
    kinds[kind] ??= { count: 0, ms: 0, max: 0 };
    kinds[kind].count++;
    kinds[kind].ms += ms;
    kinds[kind].max = Math.max(kinds[kind].max, ms);
  }
  for (const [k, v] of Object.entries(kinds)) console.log(`GC ${k}: ${v.count}, ${v.ms.toFixed(0)} ms in all, longest ${v.max.toFixed(1)} ms`);
}

// Self time per request, by function and by package.
const p = JSON.parse(readFileSync(profileFile, 'utf8'));
const dt = new Map();
for (let i = 0; i < p.samples.length; i++) dt.set(p.samples[i], (dt.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0));
const fn = new Map();
const pkg = new Map();
for (const node of p.nodes) {
  const t = dt.get(node.id) ?? 0;
  const { functionName, url: u, lineNumber } = node.callFrame;
  if (!t || functionName === '(idle)') continue;
  const file = u.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/packages\/instrument\//, '');
  const k = `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
  fn.set(k, (fn.get(k) ?? 0) + t);
  const owner = !u ? functionName : u.startsWith('node:') ? 'node' : /node_modules\/(@[^/]+\/[^/]+|[^/]+)/.exec(u)?.[1] ?? file.split('/').slice(0, 3).join('/');
  pkg.set(owner, (pkg.get(owner) ?? 0) + t);
}
const top = Number(process.env.PROFILE_TOP ?? 25);
const show = (title, m) => {
  console.log(`\n${title} (µs per request, self time)`);
  for (const [k, t] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${(t / requests).toFixed(2).padStart(7)}  ${k}`);
};
show('by package', pkg);
show('by function', fn);
console.log(`\nprofile: ${profileFile}`);
