import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { CENSOR, redactObjectsOnly, redactPaths } from '../src/logging/redaction.js';
import { serializeError } from '../src/logging/fields.js';

/** Two loggers alike (Periscope's redaction paths) but for the primitive shortcut; both write into `lines`. */
function pair() {
  const lines: string[] = [];
  const make = () =>
    pino(
      {
        base: { service: 'svc' },
        timestamp: () => ',"time":"2026-12-03T10:00:00.000Z"',
        messageKey: 'msg',
        serializers: { err: serializeError },
        redact: { paths: redactPaths(['custom.secret']), censor: CENSOR },
      },
      { write: (line: string) => lines.push(line) },
    );
  const fast = make();
  redactObjectsOnly(fast);
  return { reference: make(), fast, lines };
}

const cases: [string, Record<string, unknown> | undefined, string | undefined][] = [
  ['a message alone', undefined, 'looking up'],
  ['strings, numbers, booleans and null', { request_id: 'r-1', n: 42, x: 1.5, ok: true, nothing: null, inf: Number.POSITIVE_INFINITY }, 'm'],
  ['secrets at the top and one level down', { password: 'p', token: 't', user: { name: 'ada', password: 'p2', api_key: 'k' } }, 'login'],
  ['secret headers in a request', { req: { headers: { authorization: 'Bearer x', cookie: 'c=1', host: 'h' } }, headers: { 'set-cookie': 's' } }, 'in'],
  ['a caller-given path', { custom: { secret: 's', open: 'o' } }, 'custom'],
  ['quotes, backslashes, control characters and a lone surrogate', { ua: 'a "b" \\ c\t\u0001', odd: 'x\ud800' }, 'msg "quoted" \ud800'],
  ['arrays, dates and a bigint', { list: [1, 'two', { password: 'p' }], at: new Date(0), big: 12345678901234567890n }, 'mixed'],
  ['an error', { err: new TypeError('bad') }, 'failed'],
];

describe('redaction that skips values it cannot apply to', () => {
  it.each(cases)('writes the same bytes as pino for %s', (_name, obj, msg) => {
    const { reference, fast, lines } = pair();
    if (obj === undefined) {
      reference.info(msg);
      fast.info(msg);
    } else {
      reference.info(obj, msg);
      fast.info(obj, msg);
    }
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe(lines[0]);
  });

  it('still censors the secrets', () => {
    const { fast, lines } = pair();
    fast.info({ password: 'p', user: { password: 'p2' }, req: { headers: { authorization: 'a' } } }, 'x');
    const line = JSON.parse(lines[0]!);
    expect([line.password, line.user.password, line.req.headers.authorization]).toEqual([CENSOR, CENSOR, CENSOR]);
  });
});
