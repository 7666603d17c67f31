/**
 * The guard on pino's internals (src/logging/pino-internals.ts): each symbol Periscope uses is
 * still in `pino.symbols`, and a logger still holds there what Periscope expects. A failure names
 * the symbol; after a pino upgrade, adapt pino-internals.ts (or drop the shortcut that uses it).
 */
import { readFileSync } from 'node:fs';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { PINO_INTERNALS, pinoInternal, pinoSymbol, wildcardRedactor } from '../src/logging/pino-internals.js';
import type { PinoInternal } from '../src/logging/pino-internals.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };

const names = Object.keys(PINO_INTERNALS) as PinoInternal[];
const logger = () => pino({ messageKey: 'msg', redact: ['*.password', 'token'] }, { write: () => {} });

function held(name: PinoInternal): unknown {
  const l = logger();
  if (name === 'wildcardFirstSym') return wildcardRedactor(pinoInternal(l, 'stringifiersSym') ?? {});
  return pinoInternal(l, name);
}

describe("pino's internals, as Periscope uses them", () => {
  it('runs against the pino version the package pins', () => {
    expect(pino.version, 'pino is pinned in package.json; this test guards that version').toBe(pkg.dependencies.pino);
  });

  it.each(names)('pino.symbols still has %s', (name) => {
    expect(typeof pinoSymbol(name), `pino.symbols.${name} is gone`).toBe('symbol');
  });

  it.each(names)('a logger still holds a %s of the expected type', (name) => {
    const value = held(name);
    const expected = PINO_INTERNALS[name];
    expect(typeof value, `logger[pino.symbols.${name}] is ${typeof value}, expected ${expected}`).toBe(expected);
  });

  it('asJsonSym takes (obj, msg, num, time) and returns the whole line', () => {
    const l = pino({ base: { service: 'svc' }, messageKey: 'msg' }, { write: () => {} });
    const asJson = pinoInternal(l, 'asJsonSym')!;
    expect(asJson.length, 'asJsonSym arity').toBe(4);
    expect(asJson.call(l, { a: 1 }, 'hi', 30, ',"time":1'), 'asJsonSym(obj, msg, num, time)').toBe('{"level":30,"time":1,"service":"svc","a":1,"msg":"hi"}\n');
  });

  it('lsCacheSym starts a line per level number, chindingsSym holds the bindings, endSym closes the line', () => {
    const l = pino({ base: { service: 'svc' }, formatters: { level: (label) => ({ level: label }) } }, { write: () => {} });
    expect(pinoInternal(l, 'lsCacheSym')![30], 'lsCacheSym[30]').toBe('{"level":"info"');
    expect(pinoInternal(l, 'chindingsSym'), 'chindingsSym').toBe(',"service":"svc"');
    expect(pinoInternal(l, 'endSym'), 'endSym').toBe('}\n');
    expect(pinoInternal(l, 'messageKeySym'), 'messageKeySym').toBe('msg');
    expect(pinoInternal(l, 'nestedKeySym'), 'nestedKeySym').toBeNull();
    expect(pinoInternal(l, 'formattersSym')?.log, 'formattersSym.log').toBeUndefined();
  });

  it('stringifiersSym is empty without redaction, and the wildcard redactor returns the JSON of a value', () => {
    const plain = pino({}, { write: () => {} });
    expect(Object.keys(pinoInternal(plain, 'stringifiersSym') ?? { missing: true }), 'stringifiersSym without redaction').toEqual([]);
    expect(wildcardRedactor(pinoInternal(plain, 'stringifiersSym')!), 'wildcardFirstSym without redaction').toBeUndefined();
    const redact = wildcardRedactor(pinoInternal(logger(), 'stringifiersSym')!)!;
    expect(redact({ password: 'p', open: 'o' }), 'wildcardFirstSym(object)').toBe('{"password":"[Redacted]","open":"o"}');
  });

  it('stringifySym serializes a value as JSON, given stringifySafeSym', () => {
    const l = logger();
    expect(pinoInternal(l, 'stringifySym')!('a "b"', pinoInternal(l, 'stringifySafeSym')), 'stringifySym').toBe('"a \\"b\\""');
  });

  it('serializersSym holds the serializers by key', () => {
    const err = (e: unknown) => e;
    const l = pino({ serializers: { err } }, { write: () => {} });
    expect((pinoInternal(l, 'serializersSym') as Record<string, unknown>).err, 'serializersSym.err').toBe(err);
  });
});
