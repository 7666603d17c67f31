import { execFileSync } from 'node:child_process';
import { pbkdf2 } from 'node:crypto';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BATCH_BYTES, BATCH_MS, LineBatch } from '../src/logging/line-batch.js';
import { createLogger } from '../src/logging/logger.js';
import { resolveOptions } from '../src/options.js';
import { closeAll, tempDir } from './helpers.js';

afterEach(closeAll);

const later = () => new Promise((resolve) => setTimeout(resolve, BATCH_MS + 20));

describe('log lines batched for a few milliseconds', () => {
  it('hands the lines of one batch to the destination in one write, in order', async () => {
    const writes: string[] = [];
    const batch = new LineBatch({ write: (text) => writes.push(text) }, () => {});
    batch.write('{"n":1}\n');
    batch.write('{"n":2}\n');
    batch.write('{"n":3}\n');
    expect(writes).toEqual([]);
    await later();
    expect(writes).toEqual(['{"n":1}\n{"n":2}\n{"n":3}\n']);
    batch.write('{"n":4}\n');
    await later();
    expect(writes).toEqual(['{"n":1}\n{"n":2}\n{"n":3}\n', '{"n":4}\n']);
  });

  it('writes a batch at once when it reaches its size', () => {
    const writes: string[] = [];
    const batch = new LineBatch({ write: (text) => writes.push(text) }, () => {});
    const line = `${'x'.repeat(99)}\n`;
    const fit = Math.floor((BATCH_BYTES - 1) / line.length);
    for (let i = 0; i < fit; i++) batch.write(line);
    expect(writes).toEqual([]);
    batch.write(line);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toHaveLength(line.length * (fit + 1));
    batch.drain();
  });

  it('writes what it holds at once when drained (a flush or a rotation), and nothing twice', async () => {
    const writes: string[] = [];
    const batch = new LineBatch({ write: (text) => writes.push(text) }, () => {});
    batch.write('a\n');
    batch.drain();
    expect(writes).toEqual(['a\n']);
    await later();
    expect(writes).toEqual(['a\n']);
  });

  it('reports a destination that throws instead of throwing from the timer', async () => {
    const errors: unknown[] = [];
    const batch = new LineBatch(
      {
        write: () => {
          throw new Error('SonicBoom destroyed');
        },
      },
      (err) => errors.push(err),
    );
    batch.write('lost\n');
    await later();
    expect(errors.map((e) => (e as Error).message)).toEqual(['SonicBoom destroyed']);
  });

  it('hands what it holds to the destination synchronously when drained at exit or in a crash, and nothing twice', async () => {
    const writes: string[] = [];
    const batch = new LineBatch({ write: (text) => writes.push(`async ${text}`), writeSync: (text) => writes.push(`sync ${text}`) }, () => {});
    batch.write('a\n');
    batch.write('b\n');
    batch.drainSync();
    expect(writes).toEqual(['sync a\nb\n']);
    await later();
    expect(writes).toEqual(['sync a\nb\n']);
    // With nothing held, the destination still writes out what it holds itself.
    batch.drainSync();
    expect(writes).toEqual(['sync a\nb\n', 'sync ']);
  });

  it('falls back to an ordinary write for a destination that cannot write synchronously', () => {
    const writes: string[] = [];
    const batch = new LineBatch({ write: (text) => writes.push(text) }, () => {});
    batch.drainSync();
    batch.write('a\n');
    batch.drainSync();
    expect(writes).toEqual(['a\n']);
  });

  it("writes the logger's lines to its file before flushSync returns, behind the lines already written", async () => {
    const logFile = join(tempDir(), 'sync.log');
    const { logger, flush, flushSync } = createLogger(resolveOptions({ service: 'sync', stdout: false, logFile }));
    for (let i = 0; i < 300; i++) logger.info({ i }, 'before');
    await flush();
    // Every thread of libuv's pool busy for a while, as in a service hashing passwords: a write
    // handed to the pool now would wait behind them.
    const busy = Array.from({ length: 4 }, () => promisify(pbkdf2)('secret', 'salt', 200_000, 32, 'sha256'));
    for (let i = 300; i < 320; i++) logger.info({ i }, 'held');
    logger.fatal({ i: 320 }, 'crash');
    flushSync();
    // Read before the event loop runs again: only lines written synchronously can be there.
    const lines = readFileSync(logFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { i: number; level: string });
    await Promise.all(busy);
    expect(lines.map((l) => l.i)).toEqual([...Array(321).keys()]);
    expect(lines.at(-1)!.level).toBe('fatal');
  });

  it('writes the last lines out when the process exits right after logging them', () => {
    const logFile = join(tempDir(), 'exit.log');
    const script = `
      import express from 'express';
      import { instrument } from '@periscope/instrument';
      const telemetry = instrument(express(), { service: 'exiting', stdout: true, logFile: ${JSON.stringify(logFile)}, tracing: false });
      // Once the file is open (before that, pino's own exit hook cannot write to it either).
      setTimeout(() => {
        telemetry.logger.info('last words');
        process.exit(0);
      }, 300);
    `;
    const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: join(import.meta.dirname, '..'), encoding: 'utf8' });
    const fromFile = readFileSync(logFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l).msg);
    const fromStdout = stdout.trim().split('\n').map((l) => JSON.parse(l).msg);
    expect(fromFile).toContain('last words');
    expect(fromStdout).toContain('last words');
  });
});
