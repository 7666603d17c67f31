/**
 * W3C Trace Context (Level 1, Level 2's random flag) and W3C Baggage, rule by rule: the parsers
 * and propagators directly, then what a downstream service really receives through an
 * instrumented app.
 */
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT_CONTEXT, propagation, trace } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';
import { BaggagePropagator, TraceContextPropagator, parseTraceparent, parseTracestate } from '../src/tracing/propagation/index.js';
import { PROPAGATION_HEADERS, droppedSoFar } from '../src/tracing/propagation/dropped.js';
import { closeAll, listen, samples, scrape, startApp, tempDir } from './helpers.js';
import { startService } from './processes.js';

afterEach(closeAll);

const T = '0af7651916cd43dd8448eb211c80319c';
const P = 'b7ad6b7169203331';
const getter = { keys: (c: Record<string, unknown>) => Object.keys(c), get: (c: Record<string, unknown>, k: string) => c[k] as string | string[] | undefined };
const setter = { set: (c: Record<string, string>, k: string, v: string) => (c[k] = v) };
const tc = new TraceContextPropagator();
const extract = (headers: Record<string, string | string[]>) => tc.extract(ROOT_CONTEXT, headers, getter);
const inject = (ctx: Context) => {
  const out: Record<string, string> = {};
  tc.inject(ctx, out, setter);
  return out;
};

describe('traceparent', () => {
  it('accepts version 00 with its four lowercase-hex fields', () => {
    expect(parseTraceparent(`00-${T}-${P}-01`)).toEqual({ version: '00', traceId: T, parentId: P, traceFlags: 1 });
  });

  it.each([
    ['version ff', `ff-${T}-${P}-01`],
    ['a version that is not hex', `0x-${T}-${P}-01`],
    ['an upper-case version', `0A-${T}-${P}-01`],
    ['version 00 with a fifth field', `00-${T}-${P}-01-extra`],
    ['version 00 with trailing characters', `00-${T}-${P}-011`],
    ['an all-zero trace-id', `00-${'0'.repeat(32)}-${P}-01`],
    ['an all-zero parent-id', `00-${T}-${'0'.repeat(16)}-01`],
    ['an upper-case trace-id', `00-${T.toUpperCase()}-${P}-01`],
    ['an upper-case parent-id', `00-${T}-${P.toUpperCase()}-01`],
    ['upper-case flags', `00-${T}-${P}-0A`],
    ['non-hex flags', `00-${T}-${P}-0.`],
    ['a trace-id one digit short', `00-${T.slice(1)}-${P}-01`],
    ['a trace-id one digit long', `00-${T}a-${P}-01`],
    ['a parent-id one digit short', `00-${T}-${P.slice(1)}-01`],
    ['one flag digit', `00-${T}-${P}-1`],
    ['three flag digits', `00-${T}-${P}-001`],
    ['a wrong delimiter', `00_${T}-${P}-01`],
    ['a higher version shorter than 55 characters', `cc-${T}-${P}-1`],
    ['a higher version whose flags are followed by something other than "-"', `cc-${T}-${P}-01x`],
    ['a higher version with a non-hex trace-id', `cc-${'g'.repeat(32)}-${P}-01`],
    ['an empty value', ''],
  ])('ignores a traceparent with %s', (_name, value) => {
    expect(parseTraceparent(value)).toBeUndefined();
    expect(trace.getSpanContext(extract({ traceparent: value, tracestate: 'foo=1' }))).toBeUndefined();
  });

  it('parses a higher version by its first four fields when the rest is empty or starts with "-"', () => {
    expect(parseTraceparent(`cc-${T}-${P}-01-what-the-future-holds`)).toMatchObject({ traceId: T, parentId: P, traceFlags: 1 });
    expect(parseTraceparent(`01-${T}-${P}-00`)).toMatchObject({ traceId: T, parentId: P, traceFlags: 0 });
  });

  it('ignores optional whitespace around the value', () => {
    for (const v of [` 00-${T}-${P}-01`, `\t00-${T}-${P}-01`, `00-${T}-${P}-01 `, `\t 00-${T}-${P}-01 \t`]) expect(parseTraceparent(v)?.traceId).toBe(T);
  });

  it('ignores two traceparent fields, which cannot be combined into one value', () => {
    expect(trace.getSpanContext(extract({ traceparent: [`00-${T}-${P}-01`, `00-${T}-${P}-01`] }))).toBeUndefined();
  });

  it('sends version 00 whatever version came in, with only the sampled and random flags', () => {
    const ctx = extract({ traceparent: `cc-${T}-${P}-ff-future` });
    expect(inject(ctx).traceparent).toBe(`00-${T}-${P}-03`);
    expect(inject(extract({ traceparent: `00-${T}-${P}-05` })).traceparent).toBe(`00-${T}-${P}-01`);
  });
});

describe("Level 2's random trace-id flag", () => {
  /** The context of a new local span (new span ID, flags from the sampler) in the caller's trace. */
  const child = (ctx: Context, flags: number) => trace.setSpanContext(ctx, { traceId: T, spanId: '1111111111111111', traceFlags: flags, isRemote: false });

  it("keeps the caller's random flag on a continued trace, and sets it only then", () => {
    expect(inject(child(extract({ traceparent: `00-${T}-${P}-03` }), 1)).traceparent).toBe(`00-${T}-1111111111111111-03`);
    expect(inject(child(extract({ traceparent: `00-${T}-${P}-02` }), 0)).traceparent).toBe(`00-${T}-1111111111111111-02`);
    expect(inject(child(extract({ traceparent: `00-${T}-${P}-01` }), 1)).traceparent).toBe(`00-${T}-1111111111111111-01`);
  });

  it('does not carry the flag over to a different (restarted) trace', () => {
    const restarted = trace.setSpanContext(extract({ traceparent: `00-${T}-${P}-03` }), { traceId: 'f'.repeat(32), spanId: '1111111111111111', traceFlags: 1, isRemote: false });
    expect(inject(restarted).traceparent).toBe(`00-${'f'.repeat(32)}-1111111111111111-01`);
  });
});

describe('tracestate', () => {
  const members = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `k${i + from}=v${i + from}`);

  it('accepts 32 members, combined across header fields, and discards 33', () => {
    expect(parseTracestate([members(20).join(','), members(12, 20).join(',')])?.serialize()).toBe(members(32).join(','));
    expect(parseTracestate([members(20).join(','), members(13, 20).join(',')])).toBeUndefined();
    expect(parseTracestate(members(33).join(','))).toBeUndefined();
  });

  it('allows empty and whitespace-only members without counting them, and drops optional whitespace', () => {
    const withBlanks = `${members(32).join(', \t ,')},,  ,\t`;
    expect(parseTracestate(withBlanks)?.serialize()).toBe(members(32).join(','));
    expect(parseTracestate('foo=1 \t , \t bar=2')?.serialize()).toBe('foo=1,bar=2');
    expect(parseTracestate('')).toBeUndefined();
    expect(parseTracestate(['', 'foo=1'])?.serialize()).toBe('foo=1');
  });

  it.each([
    ['an upper-case key', 'FOO=1'],
    ['a space inside the key', 'foo =1'],
    ['a dot in the key', 'foo.bar=1'],
    ['a key starting with "_"', '_foo=1'],
    ['a key of 257 characters', `${'z'.repeat(257)}=1`],
    ['a key of 257 characters with an "@"', `${'t'.repeat(242)}@${'v'.repeat(14)}=1`],
    ['a key starting with "@"', '@foo=1'],
    ['a key with a character outside keychar after an "@"', 'foo@bar.baz=1'],
    ['a value with "="', 'foo=bar=baz'],
    ['an empty value', 'foo='],
    ['a value of 257 characters', `foo=${'v'.repeat(257)}`],
    ['a tab inside the value', 'foo=a\tb'],
    ['a non-ASCII value', 'foo=café'],
    ['a member without "="', 'foo'],
  ])('discards the whole tracestate for %s, keeping the traceparent', (_name, bad) => {
    const header = Array.isArray(bad) ? bad : `good=1,${bad},also=2`;
    expect(parseTracestate(header)).toBeUndefined();
    const sc = trace.getSpanContext(extract({ traceparent: `00-${T}-${P}-01`, tracestate: header }));
    expect(sc?.traceId).toBe(T);
    expect(sc?.traceState).toBeUndefined();
    expect(inject(extract({ traceparent: `00-${T}-${P}-01`, tracestate: header })).tracestate).toBeUndefined();
  });

  it('accepts the longest keys and values the grammar allows, every allowed character, and leading spaces in a value', () => {
    const key = 'abcdefghijklmnopqrstuvwxyz0123456789_-*/';
    const value = Array.from({ length: 0x7e - 0x20 + 1 }, (_, i) => String.fromCharCode(0x20 + i)).filter((c) => c !== ',' && c !== '=').join('');
    for (const header of [`${'z'.repeat(256)}=1`, `${'t'.repeat(241)}@${'v'.repeat(14)}=1`, `1digit=1`, `${key}=${value}`, `${key}@a-z0-9_-*/=${value}`, `foo=${'v'.repeat(256)}`, 'foo=  x']) {
      expect(parseTracestate(header)?.serialize()).toBe(header);
    }
  });

  it.each([
    ['an "@" at the end', 'foo@=1'],
    ['two "@" in a row', 'foo@@bar=1'],
    ['two "@" apart', 'foo@bar@baz=1'],
    ['256 characters with an "@" at position 242', `${'t'.repeat(241)}@${'v'.repeat(14)}=1`],
    ['256 characters with an "@" at position 243', `${'t'.repeat(242)}@${'v'.repeat(13)}=1`],
    ['more than 14 characters after the "@"', `t@${'v'.repeat(15)}=1`],
    ['a digit right after the "@"', 't@1v=1'],
    ['an "@" right after a leading digit', '1@x=1'],
  ])('keeps a key with %s, which Level 2 allows (keychar includes "@")', (_name, member) => {
    const header = `good=1,${member},also=2`;
    expect(parseTracestate(header)?.serialize()).toBe(header);
    const ctx = extract({ traceparent: `00-${T}-${P}-01`, tracestate: header });
    expect(inject(ctx).tracestate).toBe(header);
  });

  it.each([
    ['a duplicate key', 'foo=1,foo=1'],
    ['a duplicate key with another value', 'foo=1,foo=2'],
    ['a duplicate key across fields', ['foo=1', 'foo=2']],
  ])('inherits a tracestate with %s as it came, and counts nothing dropped', (_name, header) => {
    const before = droppedSoFar('tracestate');
    const state = parseTracestate(header);
    expect(state?.serialize()).toBe([header].flat().join(','));
    expect(state?.get('foo')).toBe('1');
    expect(inject(extract({ traceparent: `00-${T}-${P}-01`, tracestate: header })).tracestate).toBe([header].flat().join(','));
    expect(droppedSoFar('tracestate')).toBe(before);
    expect(state?.set('foo', '3').serialize()).toBe('foo=3');
    expect(state?.unset('foo').serialize()).toBe('');
  });

  it('does not parse tracestate when the traceparent is invalid', () => {
    expect(trace.getSpanContext(extract({ traceparent: 'garbage', tracestate: 'foo=1' }))).toBeUndefined();
  });

  it('passes an accepted tracestate on unchanged, in order; an updated key moves to the front', () => {
    const ctx = extract({ traceparent: `00-${T}-${P}-01`, tracestate: 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7' });
    expect(inject(ctx).tracestate).toBe('congo=t61rcWkgMzE,rojo=00f067aa0ba902b7');
    const state = parseTracestate('a=1,b=2,c=3')!;
    expect(state.set('b', 'x').serialize()).toBe('b=x,a=1,c=3');
    expect(state.set('BAD', 'x').serialize()).toBe('a=1,b=2,c=3');
    expect(state.unset('a').serialize()).toBe('b=2,c=3');
    expect(state.get('c')).toBe('3');
  });
});

describe('baggage', () => {
  const bp = new BaggagePropagator();
  const read = (header: string | string[]) => propagation.getBaggage(bp.extract(ROOT_CONTEXT, { baggage: header }, getter));
  const write = (header: string | string[]) => {
    const out: Record<string, string> = {};
    bp.inject(bp.extract(ROOT_CONTEXT, { baggage: header }, getter), out, setter);
    return out.baggage;
  };

  it('decodes percent-encoded values, trims optional whitespace, and keeps "=" inside a value', () => {
    const bag = read(['userId =   alice', 'serverNode = DF%2028, isProduction = false,expr=a=b']);
    expect(bag?.getEntry('userId')?.value).toBe('alice');
    expect(bag?.getEntry('serverNode')?.value).toBe('DF 28');
    expect(bag?.getEntry('isProduction')?.value).toBe('false');
    expect(bag?.getEntry('expr')?.value).toBe('a=b');
  });

  it('keeps properties and sends them on, and encodes values on the way out', () => {
    expect(write('key1=value1;property1;property2, key3=value3; propertyKey=propertyValue,city=K%C3%B6ln%2C%20DE')).toBe(
      'key1=value1;property1;property2,key3=value3;propertyKey=propertyValue,city=K%C3%B6ln%2C%20DE',
    );
  });

  it.each([
    ['a key that is not a token', 'bad key=1'],
    ['a value with a double quote', 'q="x"'],
    ['a value with a backslash', 'b=a\\b'],
    ['a broken percent-escape', 'p=%zz'],
    ['a member without "="', 'lonely'],
    ['an empty key', '=1'],
    ['a bad property', 'k=v;=x'],
    ['a property with a space inside its key', 'k=v;a b=1'],
  ])('drops a member with %s and keeps the others', (_name, bad) => {
    expect(write(`first=1,${bad},last=2`)).toBe('first=1,last=2');
  });

  it('carries at most 64 members and 8192 bytes, whole members only', () => {
    const many = Array.from({ length: 70 }, (_, i) => `k${i}=v`).join(',');
    expect(write(many)).toBe(Array.from({ length: 64 }, (_, i) => `k${i}=v`).join(','));
    const big = Array.from({ length: 40 }, (_, i) => `key${String(i).padStart(2, '0')}=${'v'.repeat(300)}`);
    const out = write(big.join(','))!;
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(8192);
    expect(out.split(',')).toEqual(big.slice(0, out.split(',').length));
    expect(out.split(',').length).toBe(Math.floor(8193 / 307));
  });

  it('sends nothing when no member is valid', () => {
    expect(write('a b=1,"=2')).toBeUndefined();
  });
});

describe('what the propagators drop is counted', () => {
  const bp = new BaggagePropagator();
  /** How many values of each header `run` made the propagators drop. */
  const dropsOf = (run: () => void) => {
    const before = PROPAGATION_HEADERS.map(droppedSoFar);
    run();
    return Object.fromEntries(PROPAGATION_HEADERS.map((h, i) => [h, droppedSoFar(h) - before[i]!]));
  };
  const baggage = (header: string) => dropsOf(() => bp.extract(ROOT_CONTEXT, { baggage: header }, getter)).baggage;

  it('counts a traceparent that is invalid or sent twice, and nothing for one absent or valid', () => {
    expect(dropsOf(() => extract({}))).toEqual({ traceparent: 0, tracestate: 0, baggage: 0 });
    expect(dropsOf(() => extract({ traceparent: `00-${T}-${P}-01`, tracestate: 'foo=1' }))).toEqual({ traceparent: 0, tracestate: 0, baggage: 0 });
    expect(dropsOf(() => extract({ traceparent: `ff-${T}-${P}-01` })).traceparent).toBe(1);
    expect(dropsOf(() => extract({ traceparent: [`00-${T}-${P}-01`, `00-${T}-${P}-01`] })).traceparent).toBe(1);
  });

  it('counts an invalid tracestate once as a whole, an empty one not at all, and none behind an invalid traceparent', () => {
    expect(dropsOf(() => extract({ traceparent: `00-${T}-${P}-01`, tracestate: 'foo=1,foo=2,BAD' }))).toEqual({ traceparent: 0, tracestate: 1, baggage: 0 });
    expect(dropsOf(() => extract({ traceparent: `00-${T}-${P}-01`, tracestate: 'foo=1,foo=2,foo@bar@baz=3' }))).toEqual({ traceparent: 0, tracestate: 0, baggage: 0 });
    expect(dropsOf(() => extract({ traceparent: `00-${T}-${P}-01`, tracestate: ' , ' })).tracestate).toBe(0);
    expect(dropsOf(() => extract({ traceparent: 'nonsense', tracestate: 'BAD' }))).toEqual({ traceparent: 1, tracestate: 0, baggage: 0 });
  });

  it('counts each baggage member dropped, malformed or past the limits, and no empty one', () => {
    expect(baggage('first=1,bad key=2,last=%zz')).toBe(2);
    expect(baggage('a=1,,  ,b=2')).toBe(0);
    expect(baggage(Array.from({ length: 70 }, (_, i) => `k${i}=v`).join(','))).toBe(6);
    const big = Array.from({ length: 40 }, (_, i) => `key${String(i).padStart(2, '0')}=${'v'.repeat(300)}`);
    expect(baggage(big.join(','))).toBe(40 - Math.floor(8193 / 307));
  });
});

/** An app whose GET /call calls a plain downstream that records the headers it received. */
async function appWithDownstream() {
  const received: Record<string, string | string[] | undefined>[] = [];
  const downstream = await listen((req, res) => {
    received.push(req.headers);
    res.end('{}');
  });
  const exporter = new InMemorySpanExporter();
  const t = await startApp(
    (app) =>
      app.get('/call', async (_req, res) => {
        await (await fetch(`${downstream.base}/down`)).text();
        res.json({ ok: true });
      }),
    { spanExporters: [exporter] },
  );
  return { t, received, exporter };
}

describe('what a downstream service receives (real HTTP)', () => {
  it('gets the random flag of the caller kept, a combined tracestate unchanged, and the baggage re-encoded', async () => {
    const { t, received } = await appWithDownstream();
    const res = await fetch(`${t.base}/call`, {
      headers: [
        ['traceparent', `00-${T}-${P}-03`],
        ['tracestate', 'foo=1,bar=2'],
        ['tracestate', 'rojo=1 , congo=2'],
        ['baggage', 'user = alice'],
        ['baggage', 'node=DF%2028;p'],
      ],
    });
    expect(res.status).toBe(200);
    expect(String(received[0]!.traceparent)).toMatch(new RegExp(`^00-${T}-[0-9a-f]{16}-03$`));
    expect(received[0]!.tracestate).toBe('foo=1,bar=2,rojo=1,congo=2');
    expect(received[0]!.baggage).toBe('user=alice,node=DF%2028;p');
  });

  it('gets a tracestate with repeated keys or Level 2 "@" keys as the caller sent it, none of it counted as dropped', async () => {
    const { t, received } = await appWithDownstream();
    const counted = async () => Number(samples(await scrape(t.base), 'periscope_propagation_dropped_total{header="tracestate"}')[0]!.split(' ').pop());
    const before = await counted();
    const headers = ['foo=1,foo=2', 'foo@=1,foo@@bar=2,foo@bar@baz=3', `${'t'.repeat(241)}@${'v'.repeat(14)}=1,${'t'.repeat(242)}@${'v'.repeat(13)}=2`];
    for (const tracestate of headers) expect((await fetch(`${t.base}/call`, { headers: { traceparent: `00-${T}-${P}-01`, tracestate } })).status).toBe(200);
    expect(received.map((h) => h.tracestate)).toEqual(headers);
    expect(await counted()).toBe(before);
  });

  it('serves every malformed header without failing and starts a new trace for a bad traceparent', async () => {
    const { t, received } = await appWithDownstream();
    const bad: [string, string][][] = [
      [['traceparent', `ff-${T}-${P}-01`]],
      [['traceparent', `00-${T}-${P}-01-extra`], ['tracestate', 'foo=1']],
      [['traceparent', `00-${T}-${P}-01`], ['tracestate', 'foo=1,Foo=2'], ['baggage', '%%%,=,;;;']],
    ];
    for (const headers of bad) expect((await fetch(`${t.base}/call`, { headers })).status).toBe(200);
    expect(String(received[0]!.traceparent).split('-')[1]).not.toBe(T);
    expect(String(received[1]!.traceparent).split('-')[1]).not.toBe(T);
    expect(received[1]!.tracestate).toBeUndefined();
    expect(String(received[2]!.traceparent).split('-')[1]).toBe(T);
    expect(received[2]!.tracestate).toBeUndefined();
    expect(received[2]!.baggage).toBeUndefined();
    // Each dropped value is counted on /metrics: two traceparents, one tracestate, three baggage members.
    const counted = async () => {
      const text = await scrape(t.base);
      return Object.fromEntries(PROPAGATION_HEADERS.map((h) => [h, Number(samples(text, `periscope_propagation_dropped_total{header="${h}"}`)[0]!.split(' ').pop())]));
    };
    const before = await counted();
    for (const headers of bad) await fetch(`${t.base}/call`, { headers });
    const after = await counted();
    expect(PROPAGATION_HEADERS.map((h) => after[h]! - before[h]!)).toEqual([2, 1, 3]);
  });
});

describe('the trace-context conformance test service (fixtures/tracecontext-service.mjs)', () => {
  it("forwards each { url, arguments } as a POST with the arguments as body, continuing the caller's trace", async () => {
    const calls: { path: string; headers: Record<string, unknown>; body: unknown }[] = [];
    const harness = await listen((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        calls.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(body) });
        res.end('ok');
      });
    });
    const here = dirname(fileURLToPath(import.meta.url));
    const service = await startService(join(here, 'fixtures', 'tracecontext-service.mjs'), { QUIET: '1' }, tempDir('periscope-tc-'));
    try {
      const instructions = [
        { url: `${harness.base}/1`, arguments: [{ url: `${harness.base}/2`, arguments: [] }] },
        { url: `${harness.base}/3`, arguments: [] },
      ];
      const res = await fetch(`${service.base}/test`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', traceparent: `00-${T}-${P}-01`, tracestate: 'foo=1,bar=2' },
        body: JSON.stringify(instructions),
      });
      expect(res.status).toBe(200);
      expect(calls.map((c) => c.path)).toEqual(['/1', '/3']);
      expect(calls[0]!.body).toEqual(instructions[0]!.arguments);
      expect(calls[1]!.body).toEqual([]);
      const parents = calls.map((c) => String(c.headers.traceparent));
      for (const tp of parents) expect(tp).toMatch(new RegExp(`^00-${T}-[0-9a-f]{16}-01$`));
      expect(new Set(parents.map((tp) => tp.split('-')[2])).size).toBe(2);
      expect(calls.map((c) => c.headers.tracestate)).toEqual(['foo=1,bar=2', 'foo=1,bar=2']);
    } finally {
      await service.stop();
    }
  }, 30_000);
});
