/**
 * The demo with no fault, for as long as asked: does any alert fire? Starts the demo stack as
 * `npm run demo` does (fresh Prometheus, no history, the shipped rules), with the load generator
 * on, and every 15 s reads what Prometheus has pending or firing and what the alert receiver got.
 * Prints the count of each and exits 1 when anything fired or was notified.
 *
 *   npm run quiet-run -- [--duration 30m] [--rate 20]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { instantQuery, startStack } from '@periscope-demo/launcher';
import { parseDurationMs } from '@periscope-demo/shared';

const { values } = parseArgs({ options: { duration: { type: 'string', default: '30m' }, rate: { type: 'string', default: '20' } }, strict: true });
const durationMs = parseDurationMs(values.duration!, '--duration');
const rate = Number(values.rate);
if (!(rate > 0)) throw new Error(`--rate "${values.rate}" is not a number of requests per second`);

const stateDir = mkdtempSync(join(tmpdir(), 'periscope-quiet-run-'));
const stack = await startStack({
  ports: { frontend: 0, users: 0, thoughts: 0, prometheus: 0, alertmanager: 0, receiver: 0, nodeExporter: 0 },
  load: { rate },
  stateDir,
  quiet: true,
});
const pending = new Map<string, number>();
const firing = new Map<string, number>();
const started = Date.now();
let samples = 0;
try {
  console.log(`quiet run: ${values.duration} of the demo at ${rate} requests/s, no fault`);
  while (Date.now() - started < durationMs) {
    await new Promise((resolve) => setTimeout(resolve, 15_000));
    const alerts = await instantQuery(stack.urls.prometheus!, 'ALERTS').catch(() => []);
    samples += 1;
    for (const a of alerts) {
      const key = `${a.metric.alertname}{service=${a.metric.service ?? a.metric.job ?? ''},severity=${a.metric.severity}}`;
      const seen = a.metric.alertstate === 'firing' ? firing : pending;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
  }
  const notifications = stack.receiver?.notifications() ?? [];
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  console.log(`after ${minutes} min, ${samples} samples of ALERTS:`);
  console.log(`  firing: ${firing.size === 0 ? 'none' : [...firing].map(([k, n]) => `${k} ×${n}`).join(', ')}`);
  console.log(`  pending: ${pending.size === 0 ? 'none' : [...pending].map(([k, n]) => `${k} ×${n}`).join(', ')}`);
  console.log(`  notifications at the receiver: ${notifications.length}`);
  process.exitCode = firing.size > 0 || notifications.length > 0 ? 1 : 0;
} finally {
  await stack.stop();
  rmSync(stateDir, { recursive: true, force: true });
}
