import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, startApp } from './helpers.js';

afterEach(closeAll);

describe('health endpoints', () => {
  it('answers /healthz with 200 while the process serves', async () => {
    const t = await startApp(() => {});
    const res = await fetch(`${t.base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz with 200 and every check named when all pass', async () => {
    const t = await startApp(() => {});
    t.telemetry.addReadinessCheck('db', () => true);
    t.telemetry.addReadinessCheck('cache', async () => true);
    const res = await fetch(`${t.base}/readyz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.status).toBe('ok');
    expect(body.checks).toMatchObject({ db: { ok: true }, cache: { ok: true } });
  });

  it('answers /readyz with 503 naming the check that failed, threw or timed out', async () => {
    const t = await startApp(() => {}, { readinessTimeoutMs: 50 });
    t.telemetry.addReadinessCheck('ok', () => true);
    t.telemetry.addReadinessCheck('false', () => false);
    t.telemetry.addReadinessCheck('throws', () => {
      throw new Error('connection refused');
    });
    t.telemetry.addReadinessCheck('hangs', () => new Promise<boolean>(() => {}));
    const res = await fetch(`${t.base}/readyz`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as any;
    expect(body.status).toBe('fail');
    expect(body.checks.ok.ok).toBe(true);
    expect(body.checks.false).toMatchObject({ ok: false, error: 'check returned false' });
    expect(body.checks.throws).toMatchObject({ ok: false, error: 'connection refused' });
    expect(body.checks.hangs).toMatchObject({ ok: false, error: 'timed out after 50 ms' });
  });

  it('fails readiness once shutdown has begun', async () => {
    const t = await startApp(() => {});
    await t.telemetry.shutdown();
    const res = await fetch(`${t.base}/readyz`);
    expect(res.status).toBe(503);
    expect(((await res.json()) as any).checks.shutdown.ok).toBe(false);
  });

  it('rejects a readiness check that is not a function, naming it', async () => {
    const t = await startApp(() => {});
    expect(() => t.telemetry.addReadinessCheck('db', 'yes' as never)).toThrow(
      'Invalid option "readiness check "db"": got "yes" (string) - expected a function returning a boolean or a promise of one',
    );
  });
});
