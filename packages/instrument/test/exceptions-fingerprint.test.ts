import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FINGERPRINT_LENGTH, fingerprint, fingerprintFrames, normalizeFile, parseStack } from '../src/exceptions/fingerprint.js';
import { closeAll, tempDir } from './helpers.js';
import { fixture, runNode } from './exceptions-fixtures.js';

afterEach(closeAll);

const ROOT = '/srv/app';

/** A V8-style stack of `type: message` over the given frames. */
function stack(head: string, ...frames: string[]): string {
  return [head, ...frames.map((f) => `    at ${f}`)].join('\n');
}

function errorWith(type: string, message: string, frames: string[]): Error {
  const err = new Error(message);
  err.name = type;
  err.stack = stack(`${type}: ${message}`, ...frames);
  return err;
}

describe('stack parsing', () => {
  it('reads function and file from every V8 frame form, without line and column', () => {
    const frames = parseStack(
      stack(
        'Error: x',
        'Router.handle (/srv/app/src/router.js:10:5)',
        '/srv/app/src/main.js:3:1',
        'async Promise.all (index 0)',
        'new Pool (file:///srv/app/src/pool.mjs:7:11)',
        'eval (eval at run (/srv/app/src/dyn.js:4:3), <anonymous>:1:1)',
        'Array.map (<anonymous>)',
        'process.processTicksAndRejections (node:internal/process/task_queues:105:5)',
      ),
    );
    expect(frames).toEqual([
      { fn: 'Router.handle', file: '/srv/app/src/router.js' },
      { fn: '<anonymous>', file: '/srv/app/src/main.js' },
      { fn: 'Promise.all', file: 'index 0' },
      { fn: 'new Pool', file: 'file:///srv/app/src/pool.mjs' },
      { fn: 'eval', file: '/srv/app/src/dyn.js' },
      { fn: 'Array.map', file: '<anonymous>' },
      { fn: 'process.processTicksAndRejections', file: 'node:internal/process/task_queues' },
    ]);
  });

  it('makes paths relative to the root and strips file URLs, queries and Windows separators', () => {
    expect(normalizeFile('/srv/app/src/a.js', ROOT)).toBe('src/a.js');
    expect(normalizeFile('file:///srv/app/src/a%20b.mjs?update=1712', ROOT)).toBe('src/a b.mjs');
    expect(normalizeFile('C:\\srv\\app\\src\\a.js', 'C:\\srv\\app')).toBe('src/a.js');
    expect(normalizeFile('/usr/lib/node_modules/pkg/index.js', ROOT)).toBe('node_modules/pkg/index.js');
    expect(normalizeFile('/opt/shared/lib.js', ROOT)).toBe('/opt/shared/lib.js');
  });

  it('keeps the top application frames, skipping node_modules and Node internals', () => {
    const s = stack(
      'Error: x',
      'parse (/srv/app/node_modules/body/index.js:1:1)',
      'handler (/srv/app/src/routes.js:20:3)',
      'Layer.handle (/srv/app/node_modules/express/lib/layer.js:95:5)',
      'listOnTimeout (node:internal/timers:581:17)',
      'async Promise.all (index 0)',
      'Array.forEach (<anonymous>)',
      'main (/srv/app/src/main.js:9:1)',
    );
    expect(fingerprintFrames(s, { root: ROOT })).toEqual(['src/routes.js handler', 'src/main.js main']);
    expect(fingerprintFrames(s, { root: ROOT, frames: 1 })).toEqual(['src/routes.js handler']);
  });

  it('falls back to dependency frames when no application frame is on the stack', () => {
    const s = stack('Error: x', 'Socket.onData (/srv/app/node_modules/pg/lib/conn.js:1:1)', 'emit (node:events:518:28)');
    expect(fingerprintFrames(s, { root: ROOT })).toEqual(['node_modules/pg/lib/conn.js Socket.onData']);
  });
});

describe('fingerprint', () => {
  const frames = ['findUser (/srv/app/src/users.js:12:9)', 'getProfile (/srv/app/src/routes.js:40:5)'];

  it('is 16 hex digits', () => {
    expect(fingerprint(new Error('x'))).toMatch(new RegExp(`^[0-9a-f]{${FINGERPRINT_LENGTH}}$`));
  });

  it('ignores the message, line and column numbers and node_modules frames', () => {
    const a = errorWith('TypeError', 'user 17 not found', frames);
    const b = errorWith('TypeError', 'user 99 not found', [
      'findUser (/srv/app/src/users.js:31:2)',
      'next (/srv/app/node_modules/express/lib/router/index.js:280:10)',
      'getProfile (/srv/app/src/routes.js:77:13)',
    ]);
    expect(fingerprint(a, { root: ROOT })).toBe(fingerprint(b, { root: ROOT }));
  });

  it('is the same for a build deployed under another directory', () => {
    const a = errorWith('TypeError', 'x', frames);
    const b = errorWith('TypeError', 'x', frames.map((f) => f.replace('/srv/app', '/releases/2024-06-01')));
    expect(fingerprint(a, { root: ROOT })).toBe(fingerprint(b, { root: '/releases/2024-06-01' }));
  });

  it('differs for two bugs with the same message: another type, place, function or code', () => {
    const base = fingerprint(errorWith('TypeError', 'boom', frames), { root: ROOT });
    const others = [
      errorWith('RangeError', 'boom', frames),
      errorWith('TypeError', 'boom', ['findUser (/srv/app/src/admin.js:12:9)', frames[1]!]),
      errorWith('TypeError', 'boom', ['findTeam (/srv/app/src/users.js:12:9)', frames[1]!]),
      Object.assign(errorWith('TypeError', 'boom', frames), { code: 'ERR_X' }),
    ].map((e) => fingerprint(e, { root: ROOT }));
    expect(new Set([base, ...others]).size).toBe(5);
  });

  it('fingerprints an error read back from a log line like the error itself', () => {
    const err = errorWith('TypeError', 'boom', frames);
    expect(fingerprint({ type: 'TypeError', message: 'other', stack: err.stack }, { root: ROOT })).toBe(fingerprint(err, { root: ROOT }));
  });

  it('fingerprints values thrown without a stack by their type and shape', () => {
    expect(fingerprint('user 1 not found')).toBe(fingerprint('user 2 not found'));
    expect(fingerprint('x')).not.toBe(fingerprint(42));
    expect(fingerprint({ status: 404, id: 1 })).toBe(fingerprint({ id: 2, status: 404 }));
    expect(fingerprint({ status: 404 })).not.toBe(fingerprint({ reason: 'x' }));
    expect(fingerprint(null)).toBe(fingerprint(null));
    expect(fingerprint(undefined)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('is the same in two processes, and after the code above the bug moved it down ten lines', async () => {
    const dir = tempDir();
    const bug = (padding: string) => `${padding}function findUser(id) {\n  return id.profile.name;\n}\nexport default function run() {\n  return findUser(undefined);\n}\n`;
    mkdirSync(join(dir, 'src'));
    const file = join(dir, 'src', 'bug.mjs');
    const run = async () => {
      const result = await runNode(fixture('crash-fingerprint.mjs'), [file], { cwd: dir });
      expect(result.code, result.stderr).toBe(0);
      return JSON.parse(result.stdout) as { fingerprint: string; stack: string };
    };
    writeFileSync(file, bug(''));
    const first = await run();
    writeFileSync(file, bug('// a change above the bug\n'.repeat(10)));
    const second = await run();
    expect(second.stack).not.toBe(first.stack);
    expect(second.fingerprint).toBe(first.fingerprint);
  });
});
