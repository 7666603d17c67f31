/**
 * The soak's own tiny service, `soak-app`: the behaviour the demo services do not have, behind the
 * same one call to `instrument()` and the same outputs (stdout, log file, syslog, OTLP).
 *
 *   GET    /ok          → 200
 *   POST   /audit       → writes one audit event, then 200 (the acknowledgement)
 *   GET    /throw       → the handler throws (500, one error line with a fingerprint)
 *   GET    /reject      → the handler's promise rejects (500, one error line with a fingerprint)
 *   PUT    /series?n=   → registers a gauge with n label sets on the service's registry
 *   DELETE /series      → removes it
 *
 * Listens on 127.0.0.1, port `SOAK_APP_PORT`.
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Gauge } from 'prom-client';
import { instrument } from '@periscope/instrument';
import { ENV } from '@periscope/instrument/contract';
import { SERIES_METRIC, SOAK_APP, SOAK_SYSLOG_QUEUE_RECORDS } from './names.ts';


const app = express();
const syslogTarget = process.env[ENV.syslogUrl];
const telemetry = instrument(app, {
  service: SOAK_APP,
  ...(syslogTarget ? { syslog: { target: syslogTarget, queue: { maxRecords: SOAK_SYSLOG_QUEUE_RECORDS } } } : {}),
});

app.get('/ok', (_req, res) => {
  res.json({ ok: true });
});

app.post('/audit', (_req, res) => {
  telemetry.audit({ action: 'soak.write', actor: 'service:soak-load', target: 'soak:record', outcome: 'success' });
  res.json({ audited: true });
});

app.get('/throw', () => {
  throw new Error('soak: the handler threw');
});

app.get('/reject', async () => {
  await new Promise((resolve) => setImmediate(resolve));
  throw new TypeError('soak: the handler rejected');
});

app.put('/series', (req, res) => {
  const n = Math.min(Math.max(Number(req.query.n) || 0, 0), 50_000);
  telemetry.metrics.removeSingleMetric(SERIES_METRIC);
  const gauge = new Gauge({ name: SERIES_METRIC, help: 'Synthetic series registered by the soak.', labelNames: ['k'], registers: [telemetry.metrics] });
  for (let i = 0; i < n; i++) gauge.set({ k: `k${i}` }, i);
  res.json({ series: n });
});

app.delete('/series', (_req, res) => {
  telemetry.metrics.removeSingleMetric(SERIES_METRIC);
  res.json({ series: 0 });
});

const server = app.listen(Number(process.env.SOAK_APP_PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  telemetry.logger.info({ port }, `${SOAK_APP} listening on http://127.0.0.1:${port}`);
});

const stop = () => {
  server.close();
  server.closeAllConnections();
  void telemetry.shutdown().finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
// The soak started this process: when it is gone (this one re-parented), stop too.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) stop();
}, 2_000).unref();
