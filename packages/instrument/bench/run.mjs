// npm run bench: the package's cost per request, side by side with its baselines in one run.
//
//   (a) bare Express                        (d) Periscope, tracing sampled at 100 %, OTLP batches to a local sink
//   (b) Periscope: logs to a file, metrics, (e) the same at 10 %
//       request IDs (tracing off)           (f) the peer stack + @opentelemetry/sdk-node with HTTP and Express
//   (c) the peer stack: pino-http +             auto-instrumentation at 100 %
//       express-prom-bundle + request IDs
//
// Rounds are interleaved (a b c d e f, a b c ...) so drift in the machine hits every variant alike.
// Reported: median req/s, median p99 latency, RSS after the last round, and the ratios.
// Environment: BENCH_ROUNDS (default 3), BENCH_SECONDS per round (default 5), BENCH_CONNECTIONS (50),
// BENCH_VARIANTS (default "abcdef").
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { benchMetricsRendering } from './metrics-render.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const variants = [...(process.env.BENCH_VARIANTS ?? 'abcdef')];
const NAMES = {
  a: 'bare Express',
  b: 'Periscope (logs to file, metrics, request IDs)',
  c: 'peer stack (pino-http + express-prom-bundle + IDs)',
  d: 'Periscope + tracing 100 % (OTLP batches)',
  e: 'Periscope + tracing 10 %',
  f: 'peer stack + OTel sdk-node auto-instr. 100 %',
};

const dir = mkdtempSync(join(tmpdir(), 'periscope-bench-'));
let spansReceived = 0;
const sink = createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => {
    spansReceived++;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});
await new Promise((r) => sink.listen(0, '127.0.0.1', r));
const otlpUrl = `http://127.0.0.1:${sink.address().port}`;

function start(variant) {
  const child = fork(join(here, 'server.mjs'), [], {
    env: { ...process.env, VARIANT: variant, LOG_FILE: join(dir, `${variant}.log`), OTLP_URL: otlpUrl },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve({ child, url: `http://127.0.0.1:${m.port}/users/42` }));
    child.once('exit', (code) => reject(new Error(`variant ${variant} exited with ${code}`)));
  });
}

const rss = (child) => new Promise((resolve) => {
  child.once('message', (m) => resolve(m.rss));
  child.send('rss');
});

const servers = {};
for (const v of variants) servers[v] = await start(v);
const results = Object.fromEntries(variants.map((v) => [v, { rps: [], p99: [] }]));

for (const { url } of Object.values(servers)) await autocannon({ url, connections, duration: 1 }); // warm-up
for (let r = 1; r <= rounds; r++) {
  for (const v of variants) {
    const out = await autocannon({ url: servers[v].url, connections, duration: seconds });
    results[v].rps.push(out.requests.average);
    results[v].p99.push(out.latency.p99);
    process.stderr.write(`round ${r}/${rounds} ${v}: ${Math.round(out.requests.average)} req/s, p99 ${out.latency.p99} ms${out.non2xx ? `, ${out.non2xx} non-2xx` : ''}\n`);
  }
}
for (const v of variants) results[v].rss = await rss(servers[v].child);
for (const { child } of Object.values(servers)) child.kill();
sink.close();
rmSync(dir, { recursive: true, force: true });

const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
console.log(`\nNode ${process.version}, ${connections} connections, ${rounds} interleaved rounds of ${seconds} s, GET /users/:id (small JSON)\n`);
console.log(`${'variant'.padEnd(54)} ${'req/s'.padStart(8)} ${'p99 ms'.padStart(8)} ${'RSS MB'.padStart(8)}`);
for (const v of variants) {
  const res = results[v];
  console.log(`(${v}) ${NAMES[v].padEnd(50)} ${String(Math.round(median(res.rps))).padStart(8)} ${String(median(res.p99)).padStart(8)} ${(res.rss / 1048576).toFixed(0).padStart(8)}`);
}
const ratio = (x, y, target) => {
  if (!results[x] || !results[y]) return;
  const value = median(results[x].rps) / median(results[y].rps);
  console.log(`${x}/${y} = ${value.toFixed(2)}   (target >= ${target}: ${value >= target ? 'met' : 'MISSED'})`);
};
console.log('');
ratio('b', 'a', 0.75);
ratio('b', 'c', 1.4);
ratio('d', 'a', 0.55);
ratio('e', 'a', 0.65);
ratio('d', 'f', 2.5);
if (variants.includes('d')) console.log(`OTLP export requests received by the sink: ${spansReceived}`);

const render = await benchMetricsRendering();
console.log(`\n/metrics with ${render.series} series: median render ${render.medianMs.toFixed(1)} ms (target < 50), longest event-loop block ${render.maxBlockMs.toFixed(1)} ms (target <= 20)`);
