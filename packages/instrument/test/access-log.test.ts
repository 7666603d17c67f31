import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { logAccess } from '../src/http/access-log.js';
import type { RequestState } from '../src/internal-types.js';

const state = (error?: unknown): RequestState => ({ id: 'req-1', start: 0n, method: 'GET', route: '/x', mounts: [], error, trace: undefined, outbound: undefined, ended: true, end: undefined });
const req = { method: 'GET', url: '/x', headers: {}, socket: { remoteAddress: '127.0.0.1' } } as never;
const ok = { route: '/x', status: 200, seconds: 0.001, aborted: false };
const failed = { route: '/x', status: 500, seconds: 0.001, aborted: false };

describe('the access line and the log level', () => {
  it('writes no line below the level, and still hands a handler error over to be captured', () => {
    const lines: string[] = [];
    const logger = pino({ level: 'fatal' }, { write: (l: string) => lines.push(l) });
    const described: unknown[] = [];
    const boom = new Error('boom');
    logAccess(logger, state(boom), req, failed, new Set(), (err) => (described.push(err), err));
    logAccess(logger, state(), req, ok, new Set(), (err) => (described.push(err), err));
    expect(lines).toEqual([]);
    expect(described).toEqual([boom]);
  });

  it('writes through a pino-like logger that has no isLevelEnabled', () => {
    const lines: unknown[] = [];
    const logger = { info: (obj: unknown) => lines.push(obj), warn: () => {}, error: () => {} } as never;
    logAccess(logger, state(), req, ok, new Set());
    expect(lines).toMatchObject([{ request_id: 'req-1', http: { status_code: 200 } }]);
  });

  it('writes the line with the described error at its level', () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (l: string) => lines.push(l) });
    logAccess(logger, state(new Error('boom')), req, failed, new Set(), () => ({ type: 'Error', message: 'described' }));
    expect(lines.map((l) => JSON.parse(l))).toMatchObject([{ level: 50, request_id: 'req-1', err: { message: 'described' }, http: { status_code: 500 } }]);
  });
});
