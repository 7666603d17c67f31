import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { ACCESS_MESSAGE } from '../src/core/names.js';
import { fastAccessLines } from '../src/logging/access-json.js';
import { serializeError } from '../src/logging/fields.js';

/** Two loggers alike but for the access-line serializer; both write into `lines`. */
function pair(options: pino.LoggerOptions = {}) {
  const lines: string[] = [];
  const make = () =>
    pino(
      {
        messageKey: 'msg',
        base: { service: 'svc', version: '1.0.0', hostname: 'host', pid: 7 },
        timestamp: () => ',"time":"2026-12-03T10:00:00.000Z"',
        formatters: { level: (label) => ({ level: label }) },
        mixin: () => ({ request_id: 'from-mixin', trace_id: '0af7651916cd43dd8448eb211c80319c' }),
        serializers: { err: serializeError },
        ...options,
      },
      { write: (line: string) => lines.push(line) },
    ).child({}, { redact: [] });
  const fast = make();
  const installed = fastAccessLines(fast);
  return { pino: make(), fast, installed, lines };
}

const line = (over: Record<string, unknown> = {}) => ({
  request_id: 'b0e9c6f2-3b6f-4e3c-9d52-0c1f1c8f6a11',
  http: { method: 'GET', route: '/users/:id', path: '/users/42?q=1', status_code: 200 },
  duration_ms: 0.734,
  client_address: '127.0.0.1',
  user_agent: 'curl/8.5.0',
  ...over,
});

const cases: [string, Record<string, unknown>, 'info' | 'warn' | 'error'][] = [
  ['a plain access line', line(), 'info'],
  ['an aborted request at warn', line({ aborted: true, http: { method: 'GET', route: 'unmatched', path: '/', status_code: 499 } }), 'warn'],
  ['fields left undefined', line({ client_address: undefined, user_agent: undefined }), 'info'],
  ['quotes, backslashes and control characters', line({ user_agent: 'a "quoted" \\ agent\t\u0001' }), 'info'],
  ['non-ASCII text', line({ user_agent: 'Zoë/1.0 ✓ 🚀' }), 'info'],
  ['a lone surrogate at the top level (pino keeps it raw there)', line({ user_agent: 'agent\ud800' }), 'info'],
  ['a lone surrogate in a nested object', line({ http: { method: 'GET', route: '/x\ud800', path: '/x', status_code: 200 } }), 'info'],
  ['a long path', line({ http: { method: 'GET', route: '/r', path: `/${'p'.repeat(3000)}`, status_code: 200 } }), 'info'],
  ['an error with its stack', line({ err: new TypeError('bad input') }), 'error'],
  ['non-finite numbers', line({ duration_ms: Number.NaN }), 'info'],
];

describe('the access line serialized in one step', () => {
  it.each(cases)('writes the same bytes as pino for %s', (_name, obj, level) => {
    const { pino: reference, fast, installed, lines } = pair();
    expect(installed).toBe(true);
    reference[level](obj, ACCESS_MESSAGE);
    fast[level](obj, ACCESS_MESSAGE);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe(lines[0]);
  });

  it('leaves lines with another message to pino', () => {
    const { pino: reference, fast, lines } = pair();
    reference.info(line(), 'something else');
    fast.info(line(), 'something else');
    expect(lines[1]).toBe(lines[0]);
  });

  it('is not installed on a logger that redacts or has more serializers', () => {
    const redacting = pino({ redact: ['user_agent'] }, { write: () => {} });
    const serializing = pino({ serializers: { http: (h: unknown) => h } }, { write: () => {} });
    expect(fastAccessLines(redacting)).toBe(false);
    expect(fastAccessLines(serializing)).toBe(false);
  });
});
