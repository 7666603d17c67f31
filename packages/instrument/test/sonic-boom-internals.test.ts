/**
 * The guard on SonicBoom's internals (src/logging/sonic-boom-internals.ts): each field Periscope
 * reads or changes is still on a destination, of the same type, and means what Periscope takes it
 * to mean. A failure names the field; after a sonic-boom upgrade, adapt sonic-boom-internals.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { bytesHeld, isOpeningFile, isWriting, SONIC_BOOM_INTERNALS, withoutWriteOfItsOwn } from '../src/logging/sonic-boom-internals.js';
import type { SonicBoom } from '../src/logging/sonic-boom-internals.js';
import { closeAll, tempDir } from './helpers.js';

afterEach(closeAll);

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };
const installed = JSON.parse(readFileSync(join(import.meta.dirname, '../../../node_modules/sonic-boom/package.json'), 'utf8')) as { version: string };
const names = Object.keys(SONIC_BOOM_INTERNALS) as (keyof typeof SONIC_BOOM_INTERNALS)[];

/** The destination pino builds (the one Periscope gets), on a fresh file, once it is open. */
async function opened(): Promise<{ boom: SonicBoom; file: string }> {
  const file = join(tempDir(), 'out.log');
  const boom = pino.destination({ dest: file, sync: false }) as SonicBoom;
  await new Promise((resolve) => boom.once('ready', resolve));
  return { boom, file };
}

const field = (boom: SonicBoom, name: string) => (boom as unknown as Record<string, unknown>)[name];

describe("SonicBoom's internals, as Periscope uses them", () => {
  it('runs against the sonic-boom version the package pins', () => {
    expect(installed.version, 'sonic-boom is pinned in package.json; this test guards that version').toBe(pkg.dependencies['sonic-boom']);
  });

  it.each(names)('a destination still has %s, of the expected type', async (name) => {
    const { boom } = await opened();
    expect(Object.hasOwn(boom, name), `SonicBoom#${name} is gone`).toBe(true);
    expect(typeof field(boom, name), `SonicBoom#${name} is ${typeof field(boom, name)}, expected ${SONIC_BOOM_INTERNALS[name]}`).toBe(SONIC_BOOM_INTERNALS[name]);
  });

  it('_writing is true while a write is on the thread pool, and _len counts the bytes held', async () => {
    const { boom } = await opened();
    expect(isWriting(boom), '_writing when idle').toBe(false);
    expect(bytesHeld(boom), '_len when idle').toBe(0);
    boom.write('héllo\n');
    expect(isWriting(boom), '_writing after a write').toBe(true);
    expect(bytesHeld(boom), '_len counts UTF-8 bytes').toBe(7);
    await new Promise((resolve) => boom.once('drain', resolve));
    expect([isWriting(boom), bytesHeld(boom)], '_writing and _len after drain').toEqual([false, 0]);
  });

  it('fd is negative and _opening true until the file is open; _reopening is true during reopen()', async () => {
    const file = join(tempDir(), 'opening.log');
    const boom = pino.destination({ dest: file, sync: false }) as SonicBoom;
    expect([field(boom, 'fd'), field(boom, '_opening')], 'fd and _opening while opening').toEqual([-1, true]);
    expect(isOpeningFile(boom)).toBe(true);
    await new Promise((resolve) => boom.once('ready', resolve));
    expect(isOpeningFile(boom), 'opening after ready').toBe(false);
    boom.reopen();
    expect([field(boom, '_reopening'), field(boom, '_opening')], '_reopening and _opening during reopen()').toEqual([true, true]);
    expect(isOpeningFile(boom)).toBe(true);
    await new Promise((resolve) => boom.once('ready', resolve));
    expect(isOpeningFile(boom), 'opening after the reopen').toBe(false);
  });

  it('minLength, raised for one write, keeps the text held instead of starting a write, and is restored', async () => {
    const { boom, file } = await opened();
    withoutWriteOfItsOwn(boom, () => boom.write('held\n'));
    expect(isWriting(boom), 'a write started although minLength was above the bytes held').toBe(false);
    expect(bytesHeld(boom)).toBe(5);
    expect(field(boom, 'minLength'), 'minLength restored').toBe(0);
    boom.flushSync();
    expect(readFileSync(file, 'utf8')).toBe('held\n');
  });
});
