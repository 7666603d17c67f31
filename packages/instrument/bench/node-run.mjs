// The servers' part of `npm run bench` (run.mjs forks it once): starts one server per variant
// (server.mjs) for each group — a group is one Node binary and one build of the package, so Node 22
// and Node 24, or a build from before a change and after it, are measured in the same session —
// pinned to CPU 0, and drives them from CPU 1: interleaved rounds over every group and variant at
// full speed, then rounds at a fixed 1 000 req/s for latency. Sends its results to the parent (or
// prints them as JSON when run alone).
//
// BENCH_GROUPS (set by run.mjs): a JSON array of { label, execPath, serverDir, variants? }; by
// default one group, this Node and this folder's server.mjs.
import { execFileSync, fork } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOAD_CPU, PINNED, SERVER_CPU, WRK, paced, pin, saturate, unpin } from './load.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const env = process.env;
const rounds = Number(env.BENCH_ROUNDS ?? 3);
const seconds = Number(env.BENCH_SECONDS ?? 5);
const connections = Number(env.BENCH_CONNECTIONS ?? 50);
// BENCH_VARIANTS: letters of the variants to run, e.g. "abde" (commas and spaces are ignored);
// "o" (tracing with the always_off sampler) is run only when asked for.
const KNOWN = 'ambcdefo';
const variants = [...(env.BENCH_VARIANTS ?? 'ambcdef')].filter((c) => c !== ',' && c.trim() !== '');
const unknown = variants.filter((v) => !KNOWN.includes(v));
if (unknown.length > 0) {
  process.stderr.write(`bench: BENCH_VARIANTS has unknown variant(s) ${JSON.stringify(unknown.join(''))}: use letters of "${KNOWN}"\n`);
  process.exit(2);
}
const pacedRate = Number(env.BENCH_RATE ?? 1000);
const pacedSeconds = Number(env.BENCH_RATE_SECONDS ?? 4);
const pacedRounds = Number(env.BENCH_RATE_ROUNDS ?? 2);
const pacedVariants = variants.filter((v) => 'abde'.includes(v));
const groups = env.BENCH_GROUPS ? JSON.parse(env.BENCH_GROUPS) : [{ label: `Node ${process.version}`, execPath: process.execPath, serverDir: here }];
const log = (line) => process.stderr.write(`${line}\n`);

pin(process.pid, LOAD_CPU);
const dir = mkdtempSync(join(tmpdir(), 'periscope-bench-'));

/** An OTLP sink per group, counting the export requests it receives. */
async function sinkFor(group) {
  group.exportRequests = 0;
  const sink = createServer((req, res) => {
    req.on('data', () => {});
    req.on('end', () => {
      group.exportRequests++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise((r) => sink.listen(0, '127.0.0.1', r));
  return sink;
}

function start(group, gi, variant) {
  const child = fork(join(group.serverDir, 'server.mjs'), [], {
    execPath: group.execPath,
    env: { ...env, VARIANT: variant, LOG_FILE: join(dir, `${gi}-${variant}.log`), OTLP_URL: `http://127.0.0.1:${group.sink.address().port}` },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  pin(child.pid, SERVER_CPU);
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve({ child, url: `http://127.0.0.1:${m.port}/users/42` }));
    child.once('exit', (code) => reject(new Error(`variant ${variant} of ${group.label} exited with ${code}`)));
  });
}

const ask = (child, what) =>
  new Promise((resolve) => {
    const onMessage = (m) => {
      if (m[what] === undefined) return;
      child.off('message', onMessage);
      resolve(m[what]);
    };
    child.on('message', onMessage);
    child.send(what);
  });
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

const loadAverage = () => loadavg()[0];
const servers = [];
for (const [gi, group] of groups.entries()) {
  group.sink = await sinkFor(group);
  group.version = execFileSync(group.execPath, ['-p', 'process.version']).toString().trim();
  for (const v of group.variants ?? variants) servers.push({ group, v, ...(await start(group, gi, v)), rps: [], p99: [], cpu: [], pacedP99: [], pacedP50: [] });
}
const loadBefore = loadAverage();
for (const s of servers) await saturate(s.url, connections, 1); // warm-up
for (let r = 1; r <= rounds; r++) {
  for (const s of servers) {
    const cpu0 = await ask(s.child, 'cpu');
    const out = await saturate(s.url, connections, seconds);
    const cpuPerRequest = ((await ask(s.child, 'cpu')) - cpu0) / out.requests;
    s.cpu.push(cpuPerRequest);
    s.rps.push(out.rps);
    s.p99.push(out.p99);
    const problems = [out.non2xx ? `${out.non2xx} non-2xx` : '', out.errors ?? ''].filter(Boolean).join(', ');
    log(`[${s.group.label}] round ${r}/${rounds} ${s.v}: ${Math.round(out.rps)} req/s, ${cpuPerRequest.toFixed(1)} µs CPU/request, p99 ${out.p99.toFixed(2)} ms${problems ? `, ${problems}` : ''}`);
  }
}
for (let r = 1; r <= pacedRounds; r++) {
  for (const s of servers.filter((x) => pacedVariants.includes(x.v))) {
    const out = await paced(s.url, pacedRate, pacedSeconds);
    s.pacedP99.push(out.p99);
    s.pacedP50.push(out.p50);
    log(`[${s.group.label}] fixed ${pacedRate} req/s ${r}/${pacedRounds} ${s.v}: p50 ${out.p50.toFixed(3)} ms, p99 ${out.p99.toFixed(3)} ms${out.failed ? `, ${out.failed} failed` : ''}`);
  }
}
for (const s of servers) s.rss = await ask(s.child, 'rss');
const loadAfter = loadAverage();
for (const s of servers) s.child.kill();
for (const g of groups) g.sink.close();
rmSync(dir, { recursive: true, force: true });

unpin(process.pid); // /metrics is timed across two processes: let them use every CPU
const renders = new Map();
for (const g of groups) {
  if (!renders.has(g.execPath)) {
    const out = execFileSync(g.execPath, [join(here, 'metrics-render.mjs'), 'alone'], { stdio: ['ignore', 'pipe', 'inherit'] });
    renders.set(g.execPath, JSON.parse(out.toString()));
  }
}
const results = {
  load: WRK ? 'wrk, 1 thread' : 'autocannon (in-process)',
  pinned: PINNED,
  connections,
  rounds,
  seconds,
  pacedRate,
  loadAverage: [loadBefore, loadAfter],
  groups: groups.map((g) => ({
    label: g.label,
    node: g.version,
    exportRequests: g.exportRequests,
    render: renders.get(g.execPath),
    variants: Object.fromEntries(
      servers
        .filter((s) => s.group === g)
        .map((s) => [
          s.v,
          {
            rps: median(s.rps),
            p99: median(s.p99),
            cpu: median(s.cpu),
            rss: s.rss,
            pacedP50: s.pacedP50.length ? median(s.pacedP50) : undefined,
            pacedP99: s.pacedP99.length ? median(s.pacedP99) : undefined,
            rounds: s.cpu,
          },
        ]),
    ),
  })),
};
if (process.send) process.send(results, () => process.exit(0));
else console.log(JSON.stringify(results, null, 2));
