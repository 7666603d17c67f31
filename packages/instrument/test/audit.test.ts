import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { validateAuditEvent } from '../src/audit/event.js';
import { AUDIT_WRITE_FAILED, INVALID_AUDIT_EVENT } from '../src/core/errors.js';
import { EAGAIN_BUDGET_MS, writeFully } from '../src/audit/sync-write.js';
import { createAuditWriter } from '../src/audit/writer.js';
import type { AuditWriterOptions } from '../src/audit/writer.js';
import { CENSOR, redactPaths } from '../src/logging/redaction.js';
import { closeAll, readJsonLines, tempDir } from './helpers.js';

afterEach(closeAll);

const base = { service: 'thoughts', version: '2.0.1', hostname: 'host-a', pid: 4242 };

function writer(extra: Partial<AuditWriterOptions> = {}) {
  const logFile = join(tempDir(), 'logs', 'audit.log');
  const stdoutLines: string[] = [];
  const w = createAuditWriter({ base, stdout: true, writeStdout: (l) => void stdoutLines.push(l), logFile, redactPaths: redactPaths([]), ...extra });
  return { ...w, logFile, stdoutLines };
}

function thrown(fn: () => unknown): Error & { code?: string } {
  try {
    fn();
  } catch (err) {
    return err as Error & { code?: string };
  }
  throw new Error('expected a throw');
}

describe('audit writer', () => {
  it('writes one JSON line per event, to stdout and the file, before the call returns', () => {
    const { audit, logFile, stdoutLines } = writer();
    audit({ action: 'thought.delete', actor: 'user:7', target: 'thought:42', outcome: 'success', reason: 'spam' });
    const lines = readJsonLines(logFile);
    expect(lines).toHaveLength(1);
    expect(stdoutLines.map((l) => JSON.parse(l))).toEqual(lines);
    expect(stdoutLines[0]!.endsWith('}\n')).toBe(true);
    const [line] = lines;
    expect(line).toEqual({
      level: 'info',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      ...base,
      log_type: 'audit',
      action: 'thought.delete',
      actor: 'user:7',
      target: 'thought:42',
      outcome: 'success',
      reason: 'spam',
      msg: 'audit thought.delete',
    });
  });

  it('redacts secrets in the details with the service logger paths, extra paths included', () => {
    const { audit, logFile } = writer({ redactPaths: redactPaths(['user.email']) });
    audit({ action: 'user.login', actor: 'user:7', outcome: 'failure', password: 'hunter2', user: { email: 'a@b.c', id: 7 }, request: { headers: { authorization: 'Bearer x' } } });
    const [line] = readJsonLines(logFile);
    expect(line!.password).toBe(CENSOR);
    expect(line!.user).toEqual({ email: CENSOR, id: 7 });
    expect(line!.request.headers.authorization).toBe(CENSOR);
    expect(readFileSync(logFile, 'utf8')).not.toMatch(/hunter2|a@b\.c|Bearer/);
  });

  it('refuses events that are not valid, naming the field, the value and what was expected', () => {
    const { audit, logFile } = writer();
    const cases: [unknown, string, 'TypeError' | 'Error'][] = [
      [undefined, 'audit(event): invalid "event": got undefined (undefined) - expected an object with at least "action"', 'TypeError'],
      [{ actor: 'u' }, 'audit(event): invalid "action": got undefined (undefined) - expected a string such as "user.login"', 'TypeError'],
      [{ action: 'UserLogin' }, 'audit(event): invalid "action": got "UserLogin" - expected dotted lower-case segments such as "user.login" or "thought.delete" (at most 128 characters)', 'Error'],
      [{ action: 'login' }, 'audit(event): invalid "action": got "login" - expected dotted lower-case segments such as "user.login" or "thought.delete" (at most 128 characters)', 'Error'],
      [{ action: 'user.login', outcome: 'ok' }, 'audit(event): invalid "outcome": got "ok" - expected one of "success", "failure"', 'Error'],
      [{ action: 'user.login', actor: 42 }, 'audit(event): invalid "actor": got 42 (number) - expected a string of 1-256 characters', 'TypeError'],
      [{ action: 'user.login', service: 'other' }, 'audit(event): invalid "service": got "other" - expected no value: the audit line sets this key itself', 'Error'],
      [{ action: 'user.login', log_type: 'app' }, 'audit(event): invalid "log_type": got "app" - expected no value: the audit line sets this key itself', 'Error'],
    ];
    for (const [event, message, kind] of cases) {
      const err = thrown(() => audit(event as never));
      expect(err.message).toBe(message);
      expect(err.name).toBe(kind);
      expect(err.code).toBe(INVALID_AUDIT_EVENT);
    }
    expect(readJsonLines(logFile)).toEqual([]);
    expect(validateAuditEvent({ action: 'user.password_reset.request', outcome: 'failure' }).action).toBe('user.password_reset.request');
  });

  it('reports an event it could not write, with a stable code, and writes the next one once it can', () => {
    const dir = tempDir();
    const blocked = join(dir, 'not-a-dir');
    writeFileSync(blocked, '');
    const logFile = join(blocked, 'audit.log');
    const { audit } = createAuditWriter({ base, stdout: false, logFile, redactPaths: [] });
    const err = thrown(() => audit({ action: 'thought.delete' }));
    expect(err.code).toBe(AUDIT_WRITE_FAILED);
    expect(err.message).toMatch(new RegExp(`^audit\\(event\\): could not write audit event "thought.delete" to log file ${logFile}: `));
  });

  it('reports a failing stdout even when the file took the line', () => {
    const { audit, logFile } = writer({
      writeStdout: () => {
        throw Object.assign(new Error('EPIPE: broken pipe, write'), { code: 'EPIPE' });
      },
    });
    const err = thrown(() => audit({ action: 'user.logout' }));
    expect(err.code).toBe(AUDIT_WRITE_FAILED);
    expect(err.message).toBe('audit(event): could not write audit event "user.logout" to stdout: EPIPE: broken pipe, write');
    expect(readJsonLines(logFile)).toHaveLength(1);
  });

  it('hands each line to the sinks and reports a failing sink without failing the call', () => {
    const shipped: string[] = [];
    const sinkErrors: unknown[] = [];
    const { audit, logFile } = writer({
      sinks: [{ write: (l) => void shipped.push(l) }, { write: () => { throw new Error('queue closed'); } }],
      onSinkError: (e) => sinkErrors.push(e),
    });
    audit({ action: 'user.login', outcome: 'success' });
    expect(shipped.map((l) => JSON.parse(l))).toEqual(readJsonLines(logFile));
    expect((sinkErrors[0] as Error).message).toBe('queue closed');
  });

  it('needs a destination', () => {
    const err = thrown(() => createAuditWriter({ base, stdout: false, redactPaths: [] }));
    expect(err.code).toBe(AUDIT_WRITE_FAILED);
  });

  it('reopens the log file, and its folder, on the next event after close()', () => {
    const { audit, logFile, close } = writer();
    audit({ action: 'thought.create' });
    close();
    rmSync(dirname(logFile), { recursive: true });
    audit({ action: 'thought.delete' });
    expect(readJsonLines(logFile).map((l) => l.action)).toEqual(['thought.delete']);
  });
});

describe('synchronous writes', () => {
  it('continues partial writes and waits out a full pipe (EAGAIN)', () => {
    const chunks: string[] = [];
    let calls = 0;
    const write = ((_fd: number, buf: Buffer) => {
      calls++;
      if (calls === 2) throw Object.assign(new Error('EAGAIN'), { code: 'EAGAIN' });
      const n = Math.min(3, buf.length);
      chunks.push(buf.subarray(0, n).toString());
      return n;
    }) as never;
    writeFully(1, 'hello world\n', write);
    expect(chunks.join('')).toBe('hello world\n');
  });

  it(`gives up on a pipe that stays full for its budget (${EAGAIN_BUDGET_MS} ms by default)`, () => {
    const write = (() => {
      throw Object.assign(new Error('EAGAIN'), { code: 'EAGAIN' });
    }) as never;
    const start = Date.now();
    expect(() => writeFully(1, 'x', write, 100)).toThrow('EAGAIN');
    expect(Date.now() - start).toBeGreaterThanOrEqual(100);
    expect(Date.now() - start).toBeLessThan(1000);
  });
});
