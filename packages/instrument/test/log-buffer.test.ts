// A log agent that reads stdout slowly must not make the service hold every line in memory: past
// `logBufferBytes` lines are dropped and counted, and what is not counted arrives.
import { fork } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { linesIn } from '../src/logging/dropped.js';
import { fixture } from './exceptions-fixtures.js';

const LINES = 20_000; // about 5 MB of lines against a 64 KiB buffer

describe('stdout that cannot keep up', () => {
  it('drops lines past the buffer, counts each one, and delivers the rest', async () => {
    const child = fork(fixture('slow-stdout.mjs'), [], { env: { ...process.env, LINES: String(LINES) }, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    try {
      // Not read until the child has logged everything: the pipe fills and stays full.
      child.stdout!.pause();
      const report = await new Promise<{ dropped: number }>((resolve, reject) => {
        child.once('message', (m) => resolve(m as { dropped: number }));
        child.once('exit', (code) => reject(new Error(`the fixture exited with ${code} before reporting`)));
      });
      let text = '';
      child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      const ended = new Promise<void>((resolve) => child.stdout!.once('end', resolve));
      child.send('read');
      await ended;
      const delivered = text.split('\n').filter((l) => l.includes('"msg":"fill"')).length;
      expect(report.dropped).toBeGreaterThan(LINES / 2);
      expect(delivered).toBeGreaterThan(0);
      expect(delivered + report.dropped).toBe(LINES);
    } finally {
      child.kill();
    }
  }, 30_000);
});

describe('counting the lines of a dropped batch', () => {
  it('counts newline-terminated lines, and a last line without its newline', () => {
    expect(linesIn('{"a":1}\n{"a":2}\n')).toBe(2);
    expect(linesIn('{"a":1}\n{"a":2}')).toBe(2);
    expect(linesIn(Buffer.from('{"a":1}\n'))).toBe(1);
    expect(linesIn('')).toBe(0);
  });
});
