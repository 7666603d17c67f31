// One Node version's part of `npm run bench` (run.mjs forks it on each Node): starts one server
// per variant (server.mjs), pinned to CPU 0, and drives them from CPU 1 — interleaved rounds at
// full speed, then rounds at a fixed 1 000 req/s for latency — and times /metrics with 10 000
// series. Sends its results to the parent (or prints them as JSON when run alone).
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOAD_CPU, PINNED, SERVER_CPU, WRK, paced, pin, saturate, unpin } from './load.mjs';
import { benchMetricsRendering } from './metrics-render.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const env = process.env;
const rounds = Number(env.BENCH_ROUNDS ?? 3);
const seconds = Number(env.BENCH_SECONDS ?? 5);
const connections = Number(env.BENCH_CONNECTIONS ?? 50);
// BENCH_VARIANTS: letters of the variants to run, e.g. "abde" (commas and spaces are ignored).
const variants = [...(env.BENCH_VARIANTS ?? 'abcdef')].filter((c) => c !== ',' && c.trim() !== '');
const unknown = variants.filter((v) => !'abcdef'.includes(v));
if (unknown.length > 0) {
  process.stderr.write(`bench: BENCH_VARIANTS has unknown variant(s) ${JSON.stringify(unknown.join(''))}: use letters of "abcdef"\n`);
  process.exit(2);
}
const pacedRate = Number(env.BENCH_RATE ?? 1000);
const pacedSeconds = Number(env.BENCH_RATE_SECONDS ?? 4);
const pacedRounds = Number(env.BENCH_RATE_ROUNDS ?? 2);
const pacedVariants = variants.filter((v) => 'abde'.includes(v));
const log = (line) => process.stderr.write(`[node ${process.versions.node}] ${line}\n`);

pin(process.pid, LOAD_CPU);
const dir = mkdtempSync(join(tmpdir(), 'periscope-bench-'));
let exportRequests = 0;
const sink = createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => {
    exportRequests++;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});
await new Promise((r) => sink.listen(0, '127.0.0.1', r));
const otlpUrl = `http://127.0.0.1:${sink.address().port}`;

function start(variant) {
  const child = fork(join(here, 'server.mjs'), [], {
    env: { ...env, VARIANT: variant, LOG_FILE: join(dir, `${variant}.log`), OTLP_URL: otlpUrl },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  pin(child.pid, SERVER_CPU);
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve({ child, url: `http://127.0.0.1:${m.port}/users/42` }));
    child.once('exit', (code) => reject(new Error(`variant ${variant} exited with ${code}`)));
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

const servers = {};
for (const v of variants) servers[v] = await start(v);
const raw = Object.fromEntries(variants.map((v) => [v, { rps: [], p99: [], cpu: [], pacedP99: [], pacedP50: [] }]));

for (const v of variants) await saturate(servers[v].url, connections, 1); // warm-up
for (let r = 1; r <= rounds; r++) {
  for (const v of variants) {
    const cpu0 = await ask(servers[v].child, 'cpu');
    const out = await saturate(servers[v].url, connections, seconds);
    const cpuPerRequest = ((await ask(servers[v].child, 'cpu')) - cpu0) / out.requests;
    raw[v].cpu.push(cpuPerRequest);
    raw[v].rps.push(out.rps);
    raw[v].p99.push(out.p99);
    const problems = [out.non2xx ? `${out.non2xx} non-2xx` : '', out.errors ?? ''].filter(Boolean).join(', ');
    log(`round ${r}/${rounds} ${v}: ${Math.round(out.rps)} req/s, ${cpuPerRequest.toFixed(1)} µs CPU/request, p99 ${out.p99.toFixed(2)} ms${problems ? `, ${problems}` : ''}`);
  }
}
for (let r = 1; r <= pacedRounds; r++) {
  for (const v of pacedVariants) {
    const out = await paced(servers[v].url, pacedRate, pacedSeconds);
    raw[v].pacedP99.push(out.p99);
    raw[v].pacedP50.push(out.p50);
    log(`fixed ${pacedRate} req/s ${r}/${pacedRounds} ${v}: p50 ${out.p50.toFixed(3)} ms, p99 ${out.p99.toFixed(3)} ms${out.failed ? `, ${out.failed} failed` : ''}`);
  }
}
const rssAfter = {};
for (const v of variants) rssAfter[v] = await ask(servers[v].child, 'rss');
for (const { child } of Object.values(servers)) child.kill();
sink.close();
rmSync(dir, { recursive: true, force: true });

unpin(process.pid); // /metrics is timed across two processes: let them use every CPU
const render = await benchMetricsRendering();
const results = {
  node: process.version,
  load: WRK ? 'wrk, 1 thread' : 'autocannon (in-process)',
  pinned: PINNED,
  connections,
  rounds,
  seconds,
  pacedRate,
  exportRequests,
  variants: Object.fromEntries(
    variants.map((v) => [
      v,
      {
        rps: median(raw[v].rps),
        p99: median(raw[v].p99),
        cpu: median(raw[v].cpu),
        rss: rssAfter[v],
        pacedP50: raw[v].pacedP50.length ? median(raw[v].pacedP50) : undefined,
        pacedP99: raw[v].pacedP99.length ? median(raw[v].pacedP99) : undefined,
        rounds: raw[v].rps,
      },
    ]),
  ),
  render,
};
if (process.send) process.send(results, () => process.exit(0));
else console.log(JSON.stringify(results, null, 2));
