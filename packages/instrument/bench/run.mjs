// npm run bench: the package's cost per request, side by side with its baselines in one run, on
// the repo's Node (22) and on Node 24 — Express is 2–3× faster on 24, so a fixed cost per request
// shows there first. Each Node's run is node-run.mjs, forked on that Node:
//
//   (a) bare Express                        (d) Periscope, tracing sampled at 100 %, OTLP batches to a local sink
//   (m) the minimum by hand: request ID,    (e) the same at 10 %
//       one pino access line to a file,     (f) the peer stack + @opentelemetry/sdk-node with HTTP and Express
//       one prom-client histogram               auto-instrumentation at 100 %
//   (b) Periscope: logs to a file, metrics, (o) only when asked for (BENCH_VARIANTS): Periscope tracing with
//       request IDs (tracing off)               the always_off sampler — what tracing costs before any span
//   (c) the peer stack: pino-http +
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
// 10 000 series (metrics-render.mjs). The targets are judged on the CPU time each variant adds to
// (a) in the same run (see T below); this is a benchmark, never a timed test. Last, the cost of each stage of the request path (stages.mjs) on
// each Node, in µs.
//
// Environment: BENCH_NODES ("current,24" by default; "current" for the running Node alone),
// BENCH_ROUNDS (3), BENCH_SECONDS per round (5), BENCH_CONNECTIONS (50), BENCH_VARIANTS
// ("ambcdef"), BENCH_RATE (1000) / BENCH_RATE_SECONDS (4) / BENCH_RATE_ROUNDS (2), BENCH_PIN=0 to
// turn pinning off, BENCH_STAGES=0 to skip the stages, BENCH_BEFORE=<folder> to measure, in the
// same rounds, a second build: the folder's server.mjs (a copy of this one, resolving
// @periscope/instrument to that build) runs beside this one, on every Node, for the variants
// of BENCH_BEFORE_VARIANTS ("bde"; (a) and (m) are shared with this build's).
import { execFileSync, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../../..');
const NAMES = {
  a: 'bare Express',
  m: 'the minimum by hand: request ID, one pino access line to a file, one prom-client histogram',
  b: 'Periscope: logs to a file, metrics, request IDs',
  c: 'peer stack: pino-http + express-prom-bundle + request IDs',
  d: 'Periscope + tracing 100 %, OTLP batches to a local sink',
  e: 'Periscope + tracing 10 %',
  f: 'peer stack + OTel sdk-node, HTTP + Express instr., 100 %',
  o: 'Periscope + tracing, always_off sampler',
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

/** Runs node-run.mjs once, with a group per Node (and per build, with BENCH_BEFORE). */
function runAll(groups) {
  return new Promise((resolvePromise, reject) => {
    const child = fork(join(here, 'node-run.mjs'), [], { env: { ...process.env, BENCH_GROUPS: JSON.stringify(groups) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', resolvePromise);
    child.once('exit', (code) => code && reject(new Error(`the bench exited with ${code}`)));
  });
}

/**
 * The targets, by CPU per request added to bare Express in the same run ("added"), so a machine's
 * speed and load cancel out: tracing costs at most a few µs over untraced Periscope, untraced
 * Periscope at most 1.15× the hand-written minimum (m), the peer stacks at least 2× and 3× as much.
 */
const T = { tracedUs: 8, sampledTenthUs: 2, minimumFactor: 1.15, peerFactor: 2, otelPeerFactor: 3, rssMb: 40, p99AddedMs: 1, p99AddedUntracedMs: 0.5, renderMs: 25, blockMs: 20 };

const fmt = (x, digits = 0) => (x === undefined || Number.isNaN(x) ? '–' : x.toFixed(digits));
const judge = (ok) => (ok ? 'met' : '**missed**');

function report(r, common) {
  const v = r.variants;
  const added = (k) => (v[k] && v.a ? v[k].cpu - v.a.cpu : undefined);
  const out = [];
  out.push(`### ${r.label}`, '');
  out.push(
    `${common.load}; ${common.pinned ? 'server pinned to CPU 0, load to CPU 1' : 'no CPU pinning'}; ${common.connections} connections; ` +
      `${common.rounds} rounds of ${common.seconds} s interleaved over every group and variant (medians); GET /users/:id (small JSON)`,
    '',
  );
  out.push(
    `| variant | req/s | CPU µs/request | added to (a) | p99 ms, full load | p50 / p99 ms at ${common.pacedRate} req/s | RSS MB after |`,
    '|---|---:|---:|---:|---:|---:|---:|',
  );
  for (const [key, x] of Object.entries(v)) {
    out.push(
      `| (${key}) ${NAMES[key]} | ${fmt(x.rps)} | ${fmt(x.cpu, 1)} | ${key === 'a' ? '–' : fmt(added(key), 1)} | ${fmt(x.p99, 1)} | ${x.pacedP99 === undefined ? '–' : `${fmt(x.pacedP50, 2)} / ${fmt(x.pacedP99, 2)}`} | ${fmt(x.rss / 1048576)} |`,
    );
  }
  out.push('', '| target (CPU µs/request added to (a)) | measured | |', '|---|---:|---|');
  const row = (name, value, ok, digits = 1) => value !== undefined && !Number.isNaN(value) && out.push(`| ${name} | ${fmt(value, digits)} | ${judge(ok(value))} |`);
  const [m, b, c, d, e, f] = ['m', 'b', 'c', 'd', 'e', 'f'].map(added);
  if (b !== undefined && m !== undefined) row(`no tracing: b ≤ ${T.minimumFactor} × m (${fmt(m, 1)}), ratio`, b / m, (x) => x <= T.minimumFactor, 2);
  if (b !== undefined && d !== undefined) row(`tracing 100 %: d − b ≤ ${T.tracedUs} µs`, d - b, (x) => x <= T.tracedUs);
  if (b !== undefined && e !== undefined) row(`tracing 10 %: e − b ≤ ${T.sampledTenthUs} µs`, e - b, (x) => x <= T.sampledTenthUs);
  if (b !== undefined && c !== undefined) row(`peer stack: c ≥ ${T.peerFactor} × b, ratio`, c / b, (x) => x >= T.peerFactor, 2);
  if (d !== undefined && f !== undefined) row(`OTel peer stack: f ≥ ${T.otelPeerFactor} × d, ratio`, f / d, (x) => x >= T.otelPeerFactor, 2);
  if (v.a && v.d) row(`RSS d − a ≤ ${T.rssMb} MB`, (v.d.rss - v.a.rss) / 1048576, (x) => x <= T.rssMb, 0);
  for (const k of ['b', 'd', 'e']) {
    const limit = k === 'b' ? T.p99AddedUntracedMs : T.p99AddedMs;
    if (v.a?.pacedP99 !== undefined && v[k]?.pacedP99 !== undefined) {
      row(`p99 added at ${common.pacedRate} req/s, ${k} − a ≤ ${limit} ms`, v[k].pacedP99 - v.a.pacedP99, (x) => x <= limit, 3);
    }
  }
  // The median moves far less than the p99 with other work on the machine: shown beside it, not judged.
  const p50Added = ['b', 'd', 'e'].filter((k) => v.a?.pacedP50 !== undefined && v[k]?.pacedP50 !== undefined).map((k) => `${k} − a ${fmt(v[k].pacedP50 - v.a.pacedP50, 3)}`);
  if (p50Added.length) out.push(`| (not a target) p50 added at ${common.pacedRate} req/s, ms: ${p50Added.join(', ')} | | |`);
  row(`/metrics, ${r.render.series} series, median ms < ${T.renderMs}`, r.render.medianMs, (x) => x < T.renderMs, 1);
  row(`/metrics, longest event-loop stall ms ≤ ${T.blockMs}`, r.render.maxBlockMs, (x) => x <= T.blockMs, 1);
  if (v.d || v.e) out.push('', `OTLP export requests received by the sink: ${r.exportRequests}`);
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
const builds = process.env.BENCH_BEFORE ? [['before', resolve(process.env.BENCH_BEFORE)], ['after', here]] : [['', here]];
const groups = [];
for (const node of nodes) {
  const version = execFileSync(node, ['-p', 'process.version']).toString().trim();
  for (const [build, serverDir] of builds) {
    // The build from before runs only the variants it changes; its baselines come from the same rounds.
    const variants = build === 'before' ? (process.env.BENCH_BEFORE_VARIANTS ?? 'bde') : undefined;
    groups.push({ label: `Node ${version}${build ? `, ${build}` : ''}`, execPath: node, serverDir, ...(variants ? { variants: [...variants] } : {}) });
  }
}
const results = await runAll(groups);
for (const g of results.groups) {
  const sibling = results.groups.find((x) => x !== g && x.node === g.node && x.variants.a);
  if (!g.variants.a && sibling) g.variants = { a: sibling.variants.a, ...(sibling.variants.m ? { m: sibling.variants.m } : {}), ...g.variants };
}
if (!results.load.startsWith('wrk')) {
  process.stderr.write('\nbench: wrk is not installed (Debian: apt-get install wrk); the load came from autocannon in the bench process, which competes with the servers for CPU.\n');
}
const stages = process.env.BENCH_STAGES === '0' ? [] : nodes.map(stagesOn);
const loads = `Load average (1 min) of the machine at the start / end of the rounds: ${results.loadAverage.map((l) => l.toFixed(2)).join(' / ')}`;
console.log(`\n${[loads, ...results.groups.map((g) => report(g, results)), ...(stages.length ? [stagesTable(stages)] : [])].join('\n\n')}`);
