// npm run bench: the package's cost per request, side by side with its baselines in one run, on
// the repo's Node (22) and on Node 24 — Express is 2–3× faster on 24, so a fixed cost per request
// shows there first. Each Node's run is node-run.mjs, forked on that Node:
//
//   (a) bare Express                        (d) Periscope, tracing sampled at 100 %, OTLP batches to a local sink
//   (b) Periscope: logs to a file, metrics, (e) the same at 10 %
//       request IDs (tracing off)           (f) the peer stack + @opentelemetry/sdk-node with HTTP and Express
//   (c) the peer stack: pino-http +             auto-instrumentation at 100 %
//       express-prom-bundle + request IDs
//
// Method. Each variant is its own server process, pinned (taskset) to CPU 0; the load generator
// runs pinned to CPU 1, so every variant gets one whole core and the client never competes with
// it. The load is wrk (one thread, C) when installed — Debian: `apt-get install wrk`; without it,
// autocannon in the bench's own process, which on a 2-core machine takes CPU the server would
// otherwise use (the bench says so). Rounds are interleaved (a b c d e f, a b c ...) so drift in
// the machine hits every variant alike; reported are medians. Latency is measured twice: p99
// under full load (queueing, mostly), and p99 at a fixed 1 000 req/s from a paced client
// (open loop, keep-alive, monotonic clock): there the difference to (a) is the latency each
// request gains. Each server also reports the CPU time it used (user + system, all its threads)
// per request served — the cost per request in µs, which, unlike req/s, holds still when other
// work on the machine takes the server's core part of the time. RSS is read from each server
// after its last round. `/metrics` is timed with
// 10 000 series (metrics-render.mjs). Ratios are judged against issue 18's targets; this is a
// benchmark, never a timed test. Last, the cost of each stage of the request path (stages.mjs) on
// each Node, in µs.
//
// Environment: BENCH_NODES ("current,24" by default; "current" for the running Node alone),
// BENCH_ROUNDS (3), BENCH_SECONDS per round (5), BENCH_CONNECTIONS (50), BENCH_VARIANTS
// ("abcdef"), BENCH_RATE (1000) / BENCH_RATE_SECONDS (4) / BENCH_RATE_ROUNDS (2), BENCH_PIN=0 to
// turn pinning off, BENCH_STAGES=0 to skip the stages.
import { execFileSync, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../../..');
const NAMES = {
  a: 'bare Express',
  b: 'Periscope: logs to a file, metrics, request IDs',
  c: 'peer stack: pino-http + express-prom-bundle + request IDs',
  d: 'Periscope + tracing 100 %, OTLP batches to a local sink',
  e: 'Periscope + tracing 10 %',
  f: 'peer stack + OTel sdk-node, HTTP + Express instr., 100 %',
};

/** Node 24, brought the way CI brings it (.ci/run): the `node` package in a git-ignored folder. */
function node24() {
  const bin = join(repo, '.ci/node24/node_modules/.bin/node');
  if (!existsSync(bin)) {
    process.stderr.write('bench: installing Node 24 into .ci/node24 (as CI does)...\n');
    execFileSync('npm', ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--prefix', join(repo, '.ci/node24'), 'node@24'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  return bin;
}

function nodesToRun() {
  const wanted = (process.env.BENCH_NODES ?? 'current,24').split(',').map((s) => s.trim());
  const paths = wanted.map((w) => (w === 'current' ? process.execPath : w === '24' ? node24() : w));
  const seen = new Map();
  for (const p of paths) {
    const version = execFileSync(p, ['-p', 'process.versions.node']).toString().trim();
    if (![...seen.values()].includes(version)) seen.set(p, version);
  }
  return [...seen.keys()];
}

function runOn(execPath) {
  return new Promise((resolvePromise, reject) => {
    const child = fork(join(here, 'node-run.mjs'), [], { execPath, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', resolvePromise);
    child.once('exit', (code) => code && reject(new Error(`the bench on ${execPath} exited with ${code}`)));
  });
}

/** Issue 18's targets; Node 22's no-tracing target is the stricter one. */
function targets(major) {
  return { ba: major >= 24 ? 0.88 : 0.92, da: 0.78, ea: 0.85, bc: 1.6, rssMb: 40, p99AddedMs: 0.5, renderMs: 25, blockMs: 20 };
}

const fmt = (x, digits = 0) => (x === undefined ? '–' : x.toFixed(digits));
const judge = (ok) => (ok ? 'met' : '**missed**');

function report(r) {
  const v = r.variants;
  const major = Number(r.node.slice(1).split('.')[0]);
  const t = targets(major);
  const ratio = (x, y) => (v[x] && v[y] ? v[x].rps / v[y].rps : undefined);
  const out = [];
  out.push(`### Node ${r.node}`, '');
  out.push(
    `${r.load}; ${r.pinned ? 'server pinned to CPU 0, load to CPU 1' : 'no CPU pinning'}; ${r.connections} connections; ` +
      `${r.rounds} interleaved rounds of ${r.seconds} s (medians); GET /users/:id (small JSON)`,
    '',
  );
  out.push(
    `| variant | req/s | ratio to (a) | CPU µs/request | CPU ratio (a)/x | p99 ms, full load | p50 / p99 ms at ${r.pacedRate} req/s | RSS MB after |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const [key, x] of Object.entries(v)) {
    const cpuRatio = v.a ? v.a.cpu / x.cpu : undefined;
    out.push(
      `| (${key}) ${NAMES[key]} | ${fmt(x.rps)} | ${fmt(ratio(key, 'a'), 2)} | ${fmt(x.cpu, 1)} | ${fmt(cpuRatio, 2)} | ${fmt(x.p99, 1)} | ${x.pacedP99 === undefined ? '–' : `${fmt(x.pacedP50, 2)} / ${fmt(x.pacedP99, 2)}`} | ${fmt(x.rss / 1048576)} |`,
    );
  }
  out.push('', '| target | measured | |', '|---|---:|---|');
  const row = (name, value, ok, digits = 2) => value !== undefined && out.push(`| ${name} | ${fmt(value, digits)} | ${judge(ok(value))} |`);
  row(`no tracing b/a ≥ ${t.ba}`, ratio('b', 'a'), (x) => x >= t.ba);
  row(`tracing 100 % d/a ≥ ${t.da}`, ratio('d', 'a'), (x) => x >= t.da);
  row(`tracing 10 % e/a ≥ ${t.ea}`, ratio('e', 'a'), (x) => x >= t.ea);
  row('tracing 10 % faster than 100 %: e/d > 1', ratio('e', 'd'), (x) => x > 1);
  row(`peer stack b/c ≥ ${t.bc}`, ratio('b', 'c'), (x) => x >= t.bc);
  if (v.b && v.c) row(`peer stack by CPU per request, c/b ≥ ${t.bc}`, v.c.cpu / v.b.cpu, (x) => x >= t.bc);
  if (v.a && v.b) row(`no tracing by CPU per request, a/b ≥ ${t.ba}`, v.a.cpu / v.b.cpu, (x) => x >= t.ba);
  row(`traced vs traced peer stack d/f ≥ ${t.bc}`, ratio('d', 'f'), (x) => x >= t.bc);
  if (v.a && v.d) row(`RSS d − a ≤ ${t.rssMb} MB`, (v.d.rss - v.a.rss) / 1048576, (x) => x <= t.rssMb, 0);
  for (const k of ['b', 'd', 'e']) {
    if (v.a?.pacedP99 !== undefined && v[k]?.pacedP99 !== undefined) {
      row(`p99 added at ${r.pacedRate} req/s, ${k} − a ≤ ${t.p99AddedMs} ms`, v[k].pacedP99 - v.a.pacedP99, (x) => x <= t.p99AddedMs, 3);
    }
  }
  // The median moves far less than the p99 with other work on the machine: shown beside it, not judged.
  const p50Added = ['b', 'd', 'e'].filter((k) => v.a?.pacedP50 !== undefined && v[k]?.pacedP50 !== undefined).map((k) => `${k} − a ${fmt(v[k].pacedP50 - v.a.pacedP50, 3)}`);
  if (p50Added.length) out.push(`| (not a target) p50 added at ${r.pacedRate} req/s, ms: ${p50Added.join(', ')} | | |`);
  row(`/metrics, ${r.render.series} series, median ms < ${t.renderMs}`, r.render.medianMs, (x) => x < t.renderMs, 1);
  row(`/metrics, longest event-loop stall ms ≤ ${t.blockMs}`, r.render.maxBlockMs, (x) => x <= t.blockMs, 1);
  if (v.d) out.push('', `OTLP export requests received by the sink: ${r.exportRequests}`);
  return out.join('\n');
}

function stagesOn(execPath) {
  const out = execFileSync(execPath, [join(here, 'stages.mjs')], { env: { ...process.env, STAGES_JSON: '1' }, stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out.toString());
}

function stagesTable(runs) {
  const out = ['### Stages of the request path (µs per operation, median of 5 batches)', ''];
  out.push(`| stage | what | ${runs.map((r) => `Node ${r.node}`).join(' | ')} |`, `|---|---|${runs.map(() => '---:').join('|')}|`);
  runs[0].stages.forEach((s, i) => out.push(`| ${s.group} | ${s.name} | ${runs.map((r) => (r.stages[i].ns / 1000).toFixed(2)).join(' | ')} |`));
  return out.join('\n');
}

const nodes = nodesToRun();
const results = [];
for (const node of nodes) results.push(await runOn(node));
if (!results[0].load.startsWith('wrk')) {
  process.stderr.write('\nbench: wrk is not installed (Debian: apt-get install wrk); the load came from autocannon in the bench process, which competes with the servers for CPU.\n');
}
const stages = process.env.BENCH_STAGES === '0' ? [] : nodes.map(stagesOn);
console.log(`\n${[...results.map(report), ...(stages.length ? [stagesTable(stages)] : [])].join('\n\n')}`);
