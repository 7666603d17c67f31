// Audit events written while a request is handled, by an instrumented app whose handler calls
// the audit writer (what telemetry.audit does once instrument() creates the writer).
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAuditWriter } from '../src/audit/writer.js';
import type { AuditFn } from '../src/audit/writer.js';
import { createSyslogShipper } from '../src/logging/syslog/index.js';
import { redactPaths } from '../src/logging/redaction.js';
import { freePort } from '../../../tools/testing/process.ts';
import { closeAll, readJsonLines, startApp, tempDir, waitFor } from './helpers.js';

afterEach(closeAll);

const base = { service: 'test-svc', version: '1.2.3', hostname: hostname(), pid: process.pid };

describe('audit events in a request', () => {
  it("carry the request's ID and trace fields, whatever the service's log level", async () => {
    const auditFile = join(tempDir(), 'audit.log');
    let audit: AuditFn | undefined;
    const t = await startApp(
      (app, telemetry) => {
        audit = createAuditWriter({ base, stdout: false, logFile: auditFile, redactPaths: redactPaths([]) }).audit;
        app.delete('/thoughts/:id', async (req, res) => {
          await new Promise((r) => setTimeout(r, 5));
          telemetry.logger.info('deleting'); // below the level: not written
          audit!({ action: 'thought.delete', actor: 'user:7', target: `thought:${req.params.id}`, outcome: 'success' });
          res.status(204).end();
        });
      },
      { logLevel: 'fatal' },
    );
    const res = await fetch(`${t.base}/thoughts/42`, { method: 'DELETE', headers: { 'x-request-id': 'req-audit-1' } });
    expect(res.status).toBe(204);
    const [line] = readJsonLines(auditFile);
    expect(line).toMatchObject({ log_type: 'audit', level: 'info', action: 'thought.delete', target: 'thought:42', request_id: 'req-audit-1' });
    expect(line!.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(line!.span_id).toMatch(/^[0-9a-f]{16}$/);
    expect(line!.trace_flags).toMatch(/^0[01]$/);
    expect(readJsonLines(t.logFile).some((l) => l.msg === 'deleting')).toBe(false);
  });

  it('has no request fields outside a request', () => {
    const auditFile = join(tempDir(), 'audit.log');
    createAuditWriter({ base, stdout: false, logFile: auditFile, redactPaths: [] }).audit({ action: 'job.cleanup', outcome: 'success' });
    const [line] = readJsonLines(auditFile);
    expect(line).not.toHaveProperty('request_id');
    expect(line).not.toHaveProperty('trace_id');
  });

  it('are written to the file while the syslog collector is down, and every call returns at once', async () => {
    const auditFile = join(tempDir(), 'audit.log');
    const port = await freePort(); // nothing listens there
    const errors: Error[] = [];
    const syslog = createSyslogShipper({ url: `tcp://127.0.0.1:${port}`, appName: 'test-svc', onError: (e) => errors.push(e) });
    try {
      const { audit } = createAuditWriter({ base, stdout: false, logFile: auditFile, sinks: [syslog], redactPaths: [] });
      const start = Date.now();
      for (let i = 0; i < 50; i++) audit({ action: 'user.login', actor: `user:${i}`, outcome: i % 2 ? 'success' : 'failure' });
      expect(Date.now() - start).toBeLessThan(1000);
      expect(readJsonLines(auditFile).map((l) => l.actor)).toEqual(Array.from({ length: 50 }, (_, i) => `user:${i}`));
      await waitFor(() => errors.length > 0, 5000, 'the shipper to report the outage');
    } finally {
      await syslog.close();
    }
  });
});
