/**
 * Health endpoints: `GET /healthz` (liveness: the process serves) and `GET /readyz` (readiness:
 * every registered check passes, each named in the JSON body).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { optionTypeError, optionValueError } from '../core/errors.js';
import { HEALTH_PATH } from '../core/names.js';
import type { ReadinessCheck } from '../types.js';

/** One check's outcome in the `/readyz` body. */
export interface CheckResult {
  ok: boolean;
  duration_ms: number;
  error?: string;
}

/** The `/readyz` body. */
export interface ReadinessReport {
  status: 'ok' | 'fail';
  checks: Record<string, CheckResult>;
}

/** Readiness checks of one app, and the handler of both endpoints. */
export interface Health {
  add(name: string, check: ReadinessCheck): void;
  /** From now on `/readyz` fails (the process is shutting down). */
  markShuttingDown(): void;
  report(): Promise<ReadinessReport>;
  /** Answers the request when it is one of the health endpoints; returns false otherwise. */
  handle(req: IncomingMessage, res: ServerResponse, path: string): boolean;
}

function withTimeout(check: ReadinessCheck, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
    Promise.resolve()
      .then(check)
      .then(
        (ok) => {
          clearTimeout(timer);
          resolve(ok === true);
        },
        (err: unknown) => {
          clearTimeout(timer);
          reject(err instanceof Error ? err : new Error(String(err)));
        },
      );
  });
}

function send(res: ServerResponse, status: number, body: unknown, head: boolean): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
  res.end(head ? undefined : text);
}

/** Creates the health endpoints with checks that may take up to `timeoutMs` each. */
export function createHealth(timeoutMs: number): Health {
  const checks = new Map<string, ReadinessCheck>();
  let shuttingDown = false;

  const report = async (): Promise<ReadinessReport> => {
    const entries = await Promise.all(
      [...checks].map(async ([name, check]): Promise<[string, CheckResult]> => {
        const t0 = performance.now();
        try {
          const ok = await withTimeout(check, timeoutMs);
          return [name, { ok, duration_ms: Math.round(performance.now() - t0), ...(ok ? {} : { error: 'check returned false' }) }];
        } catch (err) {
          return [name, { ok: false, duration_ms: Math.round(performance.now() - t0), error: (err as Error).message }];
        }
      }),
    );
    if (shuttingDown) entries.push(['shutdown', { ok: false, duration_ms: 0, error: 'the process is shutting down' }]);
    const result = Object.fromEntries(entries);
    return { status: entries.every(([, r]) => r.ok) ? 'ok' : 'fail', checks: result };
  };

  return {
    add(name, check) {
      if (typeof name !== 'string' || name.trim() === '') throw optionValueError('readiness check name', name, 'a non-empty string');
      if (typeof check !== 'function') throw optionTypeError(`readiness check "${name}"`, check, 'a function returning a boolean or a promise of one');
      checks.set(name, check);
    },
    markShuttingDown() {
      shuttingDown = true;
    },
    report,
    handle(req, res, path) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      const head = req.method === 'HEAD';
      if (path === HEALTH_PATH.liveness) {
        send(res, 200, { status: 'ok' }, head);
        return true;
      }
      if (path === HEALTH_PATH.readiness) {
        report().then(
          (r) => send(res, r.status === 'ok' ? 200 : 503, r, head),
          () => send(res, 503, { status: 'fail', checks: {} }, head),
        );
        return true;
      }
      return false;
    },
  };
}
