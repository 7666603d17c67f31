import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listFiles } from '../src/file-list.js';
import { main } from '../src/main.js';
import { searchFiles } from '../src/search.js';
import { logLineOf, otlpLine, removeTempDirs, tempDir, writeLines } from './helpers.js';

afterEach(removeTempDirs);

const TRACE = '5bf92f3577b34da6a3ce929d0e0e4736';
const REQ = 'req-rotated-1';
const common = { request_id: REQ, trace_id: TRACE };

async function capture(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, (s) => (stdout += s), (s) => (stderr += s));
  return { code, stdout, stderr };
}

describe('rotated files (<file>, <file>.1 the most recent, <file>.2, …)', () => {
  it('lists every rotation that exists, oldest first, then the current file', () => {
    const dir = tempDir();
    for (const f of ['users.log', 'users.log.1', 'users.log.2', 'users.log.10', 'notes.txt', 'notes.txt.1', 'spans/frontend.jsonl.1', 'spans/frontend.jsonl.3', 'a.log']) writeLines(join(dir, f), ['{}']);
    expect(listFiles([dir]).files.map((f) => f.slice(dir.length + 1))).toEqual(['a.log', 'users.log.10', 'users.log.2', 'users.log.1', 'users.log', 'spans/frontend.jsonl.3', 'spans/frontend.jsonl.1']);
    // A file named on the command line brings its rotations; one that exists only as rotations
    // (renamed away, not yet written again) is not missing.
    expect(listFiles([join(dir, 'users.log'), join(dir, 'spans/frontend.jsonl'), join(dir, 'gone.log')])).toEqual({
      files: ['users.log.10', 'users.log.2', 'users.log.1', 'users.log', 'spans/frontend.jsonl.3', 'spans/frontend.jsonl.1'].map((f) => join(dir, f)),
      missing: [join(dir, 'gone.log')],
    });
  });

  it('finds a request whose spans and log lines were rotated, lines of one time in the order written', async () => {
    const dir = tempDir();
    // The same millisecond in three files: only the files' order tells which came first.
    writeLines(join(dir, 'logs/users.log.2'), [logLineOf({ service: 'users', ms: 5, msg: 'first', ...common, span_id: 'u000000000000001' })]);
    writeLines(join(dir, 'logs/users.log.1'), [logLineOf({ service: 'users', ms: 5, msg: 'second', ...common, span_id: 'u000000000000001' })]);
    writeLines(join(dir, 'logs/users.log'), [logLineOf({ service: 'users', ms: 5, msg: 'third', ...common, span_id: 'u000000000000001' }), logLineOf({ service: 'users', ms: 6, msg: 'other request', request_id: 'req-2' })]);
    writeLines(join(dir, 'spans/app.jsonl.1'), [otlpLine('frontend', [{ traceId: TRACE, spanId: 'f000000000000001', name: 'GET /api', kind: 2, start: 0, end: 10_000_000, attributes: { 'periscope.request_id': REQ } }])]);
    writeLines(join(dir, 'spans/app.jsonl'), [otlpLine('users', [{ traceId: TRACE, spanId: 'u000000000000001', parentSpanId: 'f000000000000001', name: 'GET /users', kind: 2, start: 1_000_000, end: 9_000_000 }])]);

    const logs = await capture(['logs', REQ, dir]);
    expect(logs.code).toBe(0);
    expect(logs.stdout.split('\n').map((l) => l.split(' ').pop())).toEqual(['first', 'second', 'third', '']);

    const trace = await capture(['trace', REQ, join(dir, 'spans/app.jsonl'), join(dir, 'logs/users.log')]);
    expect(trace.code).toBe(0);
    expect(trace.stdout).toContain('2 spans across 2 services (frontend, users)');
    expect(trace.stdout.match(/· \S+ info {2}(\w+)/g)!.map((m) => m.split(' ').pop())).toEqual(['first', 'second', 'third']);
  });

  it('skips a file that vanishes after it was listed, names it, and still reads the others', async () => {
    const dir = tempDir();
    writeLines(join(dir, 'users.log.2'), [logLineOf({ service: 'users', ms: 1, msg: 'rotated away', ...common })]);
    writeLines(join(dir, 'users.log.1'), [logLineOf({ service: 'users', ms: 2, msg: 'kept', ...common })]);
    writeLines(join(dir, 'users.log'), [logLineOf({ service: 'users', ms: 3, msg: 'current', ...common })]);
    const { files } = listFiles([dir]);
    expect(files).toHaveLength(3);
    rmSync(join(dir, 'users.log.2'));
    const result = await searchFiles(REQ, files);
    expect(result.skipped).toEqual([join(dir, 'users.log.2')]);
    expect(result.logs.map((l) => l.msg)).toEqual(['kept', 'current']);
  });

  it('counts span lines it cannot read instead of failing', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'spans'));
    const good = otlpLine('users', [{ traceId: TRACE, spanId: 'u000000000000001', name: 'GET /users', kind: 2, start: 0, end: 1000 }]);
    writeFileSync(join(dir, 'spans/users.jsonl'), `${good}\n{"resourceSpans": ${TRACE} broken\n${good.replace(/"startTimeUnixNano":"\d+"/, '"startTimeUnixNano":"soon"')}\n`);
    const out = await capture(['trace', TRACE, dir]);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('1 span across 1 service (users)');
    expect(out.stderr).toBe('periscope: skipped 2 unparsable span lines\n');
  });
});
