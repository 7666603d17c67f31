// Rendering /metrics with 10 000 series: time per render and the longest event-loop block,
// measured with a 1 ms probe timer running alongside.
import express from 'express';
import { instrument } from '@periscope/instrument';

export async function benchMetricsRendering(seriesTarget = 10_000) {
  const app = express();
  const telemetry = instrument(app, { service: 'bench', stdout: false, tracing: false, maxLabelSets: seriesTarget });
  for (let i = 0; i < seriesTarget; i++) app.get(`/r${i}`, (_req, res) => res.end());
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${server.address().port}`;
  // Fill the histogram: one series per route.
  let next = 0;
  await Promise.all(Array.from({ length: 32 }, async () => {
    while (next < seriesTarget) await (await fetch(`${base}/r${next++}`)).arrayBuffer();
  }));
  const times = [];
  let maxBlockMs = 0;
  for (let i = 0; i < 7; i++) {
    let last = performance.now();
    const probe = setInterval(() => {
      const now = performance.now();
      maxBlockMs = Math.max(maxBlockMs, now - last - 1);
      last = now;
    }, 1);
    const t0 = performance.now();
    const text = await (await fetch(`${base}/metrics`)).text();
    times.push(performance.now() - t0);
    clearInterval(probe);
    if (!text.includes('http_route="/r9999"')) throw new Error('the rendered output lacks the last series');
  }
  server.close();
  await telemetry.shutdown();
  const sorted = times.sort((a, b) => a - b);
  return { series: seriesTarget, medianMs: sorted[sorted.length >> 1], maxBlockMs };
}
