import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import { BIN, removeTempDirs, tempDir, writeDemoRequest } from './helpers.js';

afterEach(removeTempDirs);

const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });

async function capture(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, (s) => (stdout += s), (s) => (stderr += s));
  return { code, stdout, stderr };
}

const ids = { requestId: 'req-demo-1', traceId: '0af7651916cd43dd8448eb211c80319c' };

describe('the periscope command', () => {
  it('prints its usage for --help, also after a command (exit 0), and for a wrong call (exit 2)', () => {
    const help = run('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: periscope trace <request-id \| trace-id> \[path \.\.\.\]\n {7}periscope logs \[--json\] <request-id \| trace-id> \[path \.\.\.\]/);
    expect(run('trace', '--help').stdout).toBe(help.stdout);
    expect(run('logs', '-h').status).toBe(0);
    const wrong = run('tracee', 'x');
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/^periscope: unknown command "tracee" - expected "trace", "logs" or "slo"\n\nusage: periscope trace/);
    const noId = run('trace');
    expect(noId.status).toBe(2);
    expect(noId.stderr).toMatch(/^periscope: trace: a request ID or trace ID is required\n/);
    const badFlag = run('trace', '--since', '5m', 'req-1');
    expect(badFlag.status).toBe(2);
    expect(badFlag.stderr).toMatch(/^periscope: Unknown option '--since'/);
    expect(run('trace', '--json', 'req-1').stderr).toMatch(/^periscope: trace: unknown option '--json'\n/);
    expect(run().status).toBe(2);
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
    const noLogs = run('logs', 'req-1', dir, join(dir, 'gone.log'));
    expect(noLogs.status).toBe(1);
    expect(noLogs.stderr).toBe(`no log lines found for request req-1 in 1 file (0 span, 1 log); not found: ${join(dir, 'gone.log')}\n`);
  });

  it('prints the log lines of a request that has no spans', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'logs'));
    writeFileSync(join(dir, 'logs', 'users.log'), `${JSON.stringify({ time: '2026-01-01T00:00:00.000Z', level: 'warn', msg: 'request completed', service: 'users', request_id: 'r-9' })}\n`);
    expect(await capture(['trace', 'r-9', dir])).toEqual({ code: 0, stdout: 'no spans found for r-9; its log lines:\n  users        2026-01-01T00:00:00.000Z warn  request completed\n', stderr: '' });
  });

  it('draws the waterfall of a request across services, found by its request ID or its trace ID', async () => {
    const dir = tempDir();
    writeDemoRequest(join(dir, 'spans'), join(dir, 'logs'), ids);
    const byRequest = await capture(['trace', ids.requestId, dir]);
    expect(byRequest.code).toBe(0);
    expect(byRequest.stderr).toBe('');
    const lines = byRequest.stdout.split('\n');
    expect(lines[0]).toBe(`trace ${ids.traceId}  request ${ids.requestId}`);
    expect(lines[1]).toBe('5 spans across 3 services (frontend, users, thoughts), 9.0 ms');
    expect(lines.filter((l) => /^\S+ +\S/.test(l) && l.includes('|')).map((l) => l.slice(0, 61).trimEnd())).toEqual([
      'frontend     GET /api/search [server]',
      'frontend       GET [client] → users:4001',
      'users            GET /users/:id [server]',
      'frontend       GET [client] → thoughts:4002',
      'thoughts         GET /thoughts [server]',
    ]);
    expect(byRequest.stdout).toContain('· 00:00:00.002 info  user found');
    expect((await capture(['trace', ids.traceId, dir])).stdout).toBe(byRequest.stdout);
  });

  it('lists a request\'s log lines from every service in time order, as text or JSON', async () => {
    const dir = tempDir();
    writeDemoRequest(join(dir, 'spans'), join(dir, 'logs'), ids);
    const text = await capture(['logs', ids.requestId, dir]);
    expect(text).toEqual({
      code: 0,
      stdout: [
        'users        2026-01-01T00:00:00.002Z info  user found',
        'thoughts     2026-01-01T00:00:00.006Z info  search done',
        'frontend     2026-01-01T00:00:00.009Z info  request completed',
        '',
      ].join('\n'),
      stderr: '',
    });
    const json = await capture(['logs', '--json', ids.traceId, join(dir, 'logs')]);
    expect(json.code).toBe(0);
    expect(json.stdout.trim().split('\n').map((l) => JSON.parse(l).msg)).toEqual(['user found', 'search done', 'request completed']);
  });
});
