import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { IN_FLIGHT_GRACE_MS, onWrittenOut, writeOutSync } from '../src/logging/sonic-boom.js';
import type { SonicBoom } from '../src/logging/sonic-boom.js';
import { fdOf, isWriting } from '../src/logging/sonic-boom-internals.js';
import { closeAll, tempDir } from './helpers.js';

afterEach(closeAll);

/** An asynchronous destination on a fresh file, opened (its first write would otherwise wait for the file). */
async function openedDestination(): Promise<{ boom: SonicBoom; file: string }> {
  const file = join(tempDir(), 'out.log');
  const boom = pino.destination({ dest: file, sync: false }) as SonicBoom;
  await new Promise((resolve) => boom.once('ready', resolve));
  return { boom, file };
}

function settled(boom: SonicBoom): Promise<void> {
  return new Promise((resolve) => onWrittenOut(boom, resolve));
}

describe('writing out an asynchronous destination before the process exits', () => {
  it('writes the text behind what the destination holds before returning, without a write of its own on the thread pool', async () => {
    const { boom, file } = await openedDestination();
    writeOutSync(boom, 'fatal\n');
    // Read before the event loop runs again: only a synchronous write can be there.
    expect(readFileSync(file, 'utf8')).toBe('fatal\n');
    expect(isWriting(boom)).toBe(false);
    expect((boom as unknown as { minLength: number }).minLength).toBe(0);
    boom.write('later\n');
    await settled(boom);
    expect(readFileSync(file, 'utf8')).toBe('fatal\nlater\n');
  });

  it('gives a write already on the thread pool its grace first, so the lines keep their order', async () => {
    const { boom, file } = await openedDestination();
    boom.write('first\n');
    expect(isWriting(boom)).toBe(true);
    boom.write('second\n');
    const started = performance.now();
    writeOutSync(boom, 'fatal\n');
    expect(performance.now() - started).toBeGreaterThanOrEqual(IN_FLIGHT_GRACE_MS - 1);
    expect(readFileSync(file, 'utf8')).toBe('first\nsecond\nfatal\n');
  });

  it('does not wait when nothing is on the thread pool', async () => {
    const { boom } = await openedDestination();
    boom.write('first\n');
    await settled(boom);
    // The write itself (with SonicBoom's fsync, slow on a busy disk) is timed apart from the rest.
    let writing = 0;
    const flushSync = boom.flushSync.bind(boom);
    boom.flushSync = () => {
      const t0 = performance.now();
      flushSync();
      writing += performance.now() - t0;
    };
    const started = performance.now();
    writeOutSync(boom, 'fatal\n');
    expect(performance.now() - started - writing).toBeLessThan(IN_FLIGHT_GRACE_MS / 2);
  });

  it('keeps the text for a file that is still opening, and writes it once the file is open', async () => {
    const file = join(tempDir(), 'opening.log');
    const boom = pino.destination({ dest: file, sync: false, mkdir: true }) as SonicBoom;
    expect(fdOf(boom)).toBeLessThan(0);
    expect(() => writeOutSync(boom, 'early\n')).not.toThrow();
    await new Promise((resolve) => boom.once('ready', resolve));
    await settled(boom);
    expect(readFileSync(file, 'utf8')).toBe('early\n');
  });

  it('does nothing for a destroyed destination', async () => {
    const { boom } = await openedDestination();
    boom.destroy();
    expect(() => writeOutSync(boom, 'gone\n')).not.toThrow();
  });
});

describe('waiting until an asynchronous destination has written what it holds', () => {
  it('calls back once every byte held is in the file, not before', async () => {
    const { boom, file } = await openedDestination();
    const lines = Array.from({ length: 2000 }, (_, i) => `line ${i} ${'x'.repeat(500)}\n`).join('');
    boom.write(lines);
    let seen: string | undefined;
    onWrittenOut(boom, () => (seen = readFileSync(file, 'utf8')));
    // SonicBoom's own flush(cb) calls back here, at once.
    expect(seen).toBeUndefined();
    await settled(boom);
    expect(seen).toBe(lines);
  });

  it('waits for a file that is still opening, and calls back at once when nothing is held', async () => {
    const file = join(tempDir(), 'opening.log');
    const boom = pino.destination({ dest: file, sync: false }) as SonicBoom;
    boom.write('early\n');
    await settled(boom);
    expect(readFileSync(file, 'utf8')).toBe('early\n');
    let called = false;
    onWrittenOut(boom, () => (called = true));
    expect(called).toBe(true);
  });

  it('leaves no listener behind', async () => {
    const { boom } = await openedDestination();
    const before = boom.listenerCount('error');
    boom.write('a\n');
    for (let i = 0; i < 20; i++) await settled(boom);
    expect(boom.listenerCount('error')).toBe(before);
  });
});
