// Rendering /metrics with 10 000 series (sample lines, as Prometheus counts series): time per
// scrape and the longest event-loop block of the serving process, measured with a 1 ms probe
// timer. The scraper runs in another process so its own work is not counted. The routes'
// histogram series make up the count (each label set is 17 series: 15 buckets, sum, count).
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { instrument } from '@periscope/instrument';

const SCRAPES = 9;

if (process.argv[2] === 'scraper') {
  // Child: once told to start, scrape the URL it is given, report each duration and the series
  // count of the last body.
  const url = process.argv[3];
  await new Promise((resolve) => process.once('message', resolve));
  const times = [];
  let series = 0;
  for (let i = 0; i < SCRAPES; i++) {
    const t0 = performance.now();
    const text = await (await fetch(url)).text();
    times.push(performance.now() - t0);
    series = text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
  }
  process.send({ times, series }, () => process.exit(0));
}

export async function benchMetricsRendering(seriesTarget = 10_000) {
  const app = express();
  const routes = Math.ceil(seriesTarget / 17);
  const telemetry = instrument(app, { service: 'bench', stdout: false, tracing: false, maxLabelSets: routes + 10 });
  for (let i = 0; i < routes; i++) app.get(`/r${i}`, (_req, res) => res.end());
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${server.address().port}`;
  let next = 0;
  await Promise.all(Array.from({ length: 32 }, async () => {
    while (next < routes) await (await fetch(`${base}/r${next++}`)).arrayBuffer();
  }));

  const child = fork(fileURLToPath(import.meta.url), ['scraper', `${base}/metrics`], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await new Promise((resolve) => child.once('spawn', resolve));
  await new Promise((resolve) => setTimeout(resolve, 300)); // let the scraper load before measuring
  let maxBlockMs = 0;
  let last = performance.now();
  const probe = setInterval(() => {
    const now = performance.now();
    maxBlockMs = Math.max(maxBlockMs, now - last - 1);
    last = now;
  }, 1);
  const result = new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => code && reject(new Error(`scraper exited with ${code}`)));
  });
  child.send('start');
  const { times, series } = await result;
  clearInterval(probe);
  server.close();
  await telemetry.shutdown();
  const sorted = times.slice(1).sort((a, b) => a - b);
  return { series, medianMs: sorted[sorted.length >> 1], maxBlockMs };
}

if (process.argv[2] === 'alone') {
  console.log(JSON.stringify(await benchMetricsRendering()));
  process.exit(0);
}
