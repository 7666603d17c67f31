import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createTally, readLogs, tallyLine } from '../log-reader.ts';

const line = (fields: Record<string, unknown>) => JSON.stringify({ level: 'info', msg: 'x', ...fields });

describe('the stdout log reader', () => {
  it('keeps the request IDs of audit lines and of error lines with a fingerprint', () => {
    const tally = createTally();
    tallyLine(tally, line({ log_type: 'audit', request_id: 'a' }), 1);
    tallyLine(tally, line({ level: 'error', request_id: 'e', err: { type: 'Error', fingerprint: 'f00' } }), 1);
    tallyLine(tally, line({ level: 'error', request_id: 'nofp', err: { type: 'Error' } }), 1);
    tallyLine(tally, line({ level: 'warn', request_id: 'warn', err: { fingerprint: 'f00' } }), 2);
    tallyLine(tally, 'not json', 2);
    expect([...tally.auditIds]).toEqual(['a']);
    expect([...tally.errorIds]).toEqual(['e']);
    expect(tally.unparsed).toBe(1);
    expect(Object.fromEntries(tally.linesByPid)).toEqual({ 1: 3, 2: 2 });
  });

  it('counts lines split across chunks, and the last line without a newline', async () => {
    const tally = createTally();
    const stream = new PassThrough();
    const reader = readLogs(stream, 7, tally);
    stream.write('{"log_type":"audit","request_id":"r1"}\n{"log_ty');
    stream.write('pe":"audit","request_id":"r2"}\n{"msg":"tail"}');
    stream.end();
    await reader.ended;
    expect([...tally.auditIds]).toEqual(['r1', 'r2']);
    expect(tally.linesByPid.get(7)).toBe(3);
  });

  it('reads slowly when told to, and loses no line', async () => {
    const tally = createTally();
    const stream = new PassThrough({ highWaterMark: 16 });
    const reader = readLogs(stream, 1, tally);
    reader.setSlow({ pauseMs: 60, readMs: 10 });
    for (let i = 0; i < 200; i++) stream.write(`${line({ log_type: 'audit', request_id: `r${i}` })}\n`);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(tally.auditIds.size).toBeLessThan(200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    reader.setSlow(undefined);
    stream.end();
    await reader.ended;
    expect(tally.auditIds.size).toBe(200);
    expect(tally.longestPauseMs).toBeGreaterThanOrEqual(50);
  });
});
