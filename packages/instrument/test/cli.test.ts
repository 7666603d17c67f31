import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { closeAll, tempDir } from './helpers.js';

afterEach(closeAll);

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'periscope.cjs');
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

describe('the periscope command', () => {
  it('prints its usage for --help (exit 0) and for a wrong call (exit 2)', () => {
    const help = run('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: periscope trace <request-id \| trace-id> \[path \.\.\.\]/);
    const wrong = run('tracee', 'x');
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('usage: periscope trace');
    expect(run('trace').status).toBe(2);
  });

  it('says clearly when there are no files, and when nothing matches (exit 1)', () => {
    const none = run('trace', 'req-1', '/nonexistent/periscope');
    expect(none.status).toBe(1);
    expect(none.stderr).toBe('periscope: no span or log files found in /nonexistent/periscope\n');
    const dir = tempDir();
    writeFileSync(join(dir, 'svc.log'), '{"msg":"other","request_id":"req-2"}\nnot json\n');
    const nothing = run('trace', 'req-1', dir);
    expect(nothing.status).toBe(1);
    expect(nothing.stderr).toBe('nothing found for request req-1 in 1 file (0 span, 1 log)\n');
  });

  it('prints the log lines of a request that has no spans', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'logs'));
    writeFileSync(join(dir, 'logs', 'users.log'), `${JSON.stringify({ time: '2026-01-01T00:00:00.000Z', level: 'warn', msg: 'request completed', service: 'users', request_id: 'r-9' })}\n`);
    let out = '';
    expect(await main(['trace', 'r-9', dir], (s) => (out += s))).toBe(0);
    expect(out).toBe('no spans found for r-9; its log lines:\n  users        2026-01-01T00:00:00.000Z warn request completed\n');
  });
});
