import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BATCH_BYTES, BATCH_MS, LineBatch } from '../src/logging/line-batch.js';
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
