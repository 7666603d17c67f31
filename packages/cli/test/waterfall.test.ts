import { describe, expect, it } from 'vitest';
import { spansOf } from '../src/span-files.js';
import type { SpanRecord } from '../src/span-files.js';
import { cellsOf } from '../src/timeline.js';
import { renderTraces } from '../src/waterfall.js';
import { otlpLine } from './helpers.js';
import type { SpanSpec } from './helpers.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

function spans(list: readonly SpanSpec[]): SpanRecord[] {
  return spansOf(JSON.parse(otlpLine('svc', list)));
}

/** The rows of a rendered waterfall: depth (indentation), label, and the bar's filled cells. */
function rows(text: string): { depth: number; label: string; from: number; to: number }[] {
  return text
    .split('\n')
    .filter((l) => l.endsWith('|') && !l.startsWith('SERVICE'))
    .map((l) => {
      const name = l.slice(13, 13 + 48);
      const bar = l.slice(l.indexOf('|') + 1, -1);
      return { depth: (name.length - name.trimStart().length) / 2, label: name.trim(), from: bar.indexOf('█'), to: bar.lastIndexOf('█') + 1 };
    });
}

/** Checks every row's cells against its parent's (the nearest shallower row above it). */
function outliving(text: string): string[] {
  const stack: { from: number; to: number }[] = [];
  const bad: string[] = [];
  for (const r of rows(text)) {
    stack.length = r.depth;
    const parent = stack[r.depth - 1];
    if (r.from < 0 || r.to <= r.from) bad.push(`${r.label}: empty bar`);
    if (parent && (r.from < parent.from || r.to > parent.to)) bad.push(`${r.label}: [${r.from},${r.to}) outside its parent's [${parent.from},${parent.to})`);
    stack.push(r);
  }
  return bad;
}

describe('the waterfall', () => {
  it('never draws a child starting before or ending after its parent when times round badly', () => {
    // 1000 ns over 32 cells (31.25 ns a cell): the parent covers 0.64–1.6 cells and its child
    // 1.12–1.6; drawn from a floored start plus a rounded width, the child started after its
    // parent ended. The second child's clock runs 10 ns behind its parent's (another host).
    const text = renderTraces(
      spans([
        { traceId: TRACE, spanId: 'a1', name: 'root', start: 0, end: 1000 },
        { traceId: TRACE, spanId: 'b1', parentSpanId: 'a1', name: 'parent', start: 20, end: 50 },
        { traceId: TRACE, spanId: 'c1', parentSpanId: 'b1', name: 'child', start: 35, end: 50 },
        { traceId: TRACE, spanId: 'b2', parentSpanId: 'a1', name: 'call', kind: 3, start: 500, end: 600 },
        { traceId: TRACE, spanId: 'c2', parentSpanId: 'b2', name: 'skewed', kind: 2, start: 490, end: 610 },
      ]),
      [],
      undefined,
    );
    expect(rows(text).map(({ label, from, to }) => [label, from, to])).toEqual([
      ['root [internal]', 0, 32],
      ['parent [internal]', 0, 2],
      ['child [internal]', 1, 2],
      ['call [client]', 16, 20],
      ['skewed [server]', 16, 20],
    ]);
    expect(outliving(text)).toEqual([]);
  });

  it('keeps every child inside its parent over many random traces with odd nanosecond times', () => {
    let seed = 42;
    /** A pseudo-random integer in [0, n), the same on every run. */
    const rand = (n: number) => {
      seed = (seed * 48271) % 2147483647;
      return seed % Math.max(1, n);
    };
    for (let t = 0; t < 200; t++) {
      const total = 1 + rand(5_000_000);
      const list: SpanSpec[] = [{ traceId: TRACE, spanId: 's0', name: 'root', start: 0, end: total }];
      for (let i = 1; i < 12; i++) {
        const parent = list[rand(list.length)]!;
        // Mostly inside the parent, sometimes off by a little (clock skew).
        const skew = rand(10) === 0 ? rand(50) - 25 : 0;
        const start = parent.start + rand(parent.end - parent.start + 1) + skew;
        const end = Math.max(start, start + rand(parent.end - start + 1) + skew);
        list.push({ traceId: TRACE, spanId: `s${i}`, parentSpanId: parent.spanId, name: `span ${i}`, start: Math.max(0, start), end: Math.max(0, end) });
      }
      const text = renderTraces(spans(list), [], undefined);
      expect(rows(text)).toHaveLength(12);
      expect(outliving(text), text).toEqual([]);
    }
  });

  it('places bars by exact integer arithmetic: the cells a span touches, at least one', () => {
    const line = { t0: 0n, total: 1000n, width: 32 };
    expect(cellsOf(0n, 1000n, line)).toEqual({ from: 0, to: 32 });
    expect(cellsOf(20n, 50n, line)).toEqual({ from: 0, to: 2 });
    expect(cellsOf(1000n, 1000n, line)).toEqual({ from: 31, to: 32 });
    expect(cellsOf(30n, 30n, line, { from: 5, to: 9 })).toEqual({ from: 5, to: 6 });
    expect(cellsOf(0n, 0n, { t0: 0n, total: 0n, width: 32 })).toEqual({ from: 0, to: 32 });
  });

  it('labels a client span with its target: server.address[:server.port], else the host of url.full', () => {
    const text = renderTraces(
      spans([
        { traceId: TRACE, spanId: 'a1', name: 'GET /api/search', kind: 2, start: 0, end: 100, attributes: { 'server.address': 'frontend', 'server.port': 8080 } },
        { traceId: TRACE, spanId: 'b1', parentSpanId: 'a1', name: 'GET', kind: 3, start: 10, end: 20, attributes: { 'server.address': 'users', 'server.port': 4001, 'url.full': 'http://ignored:1/' } },
        { traceId: TRACE, spanId: 'b2', parentSpanId: 'a1', name: 'GET', kind: 3, start: 20, end: 30, attributes: { 'server.address': '10.0.0.7' } },
        { traceId: TRACE, spanId: 'b3', parentSpanId: 'a1', name: 'POST', kind: 3, start: 30, end: 40, attributes: { 'url.full': 'https://thoughts.internal:8443/thoughts?q=1' } },
        { traceId: TRACE, spanId: 'b4', parentSpanId: 'a1', name: 'GET', kind: 3, start: 40, end: 50, attributes: { 'url.full': 'not a url' } },
      ]),
      [],
      undefined,
    );
    expect(rows(text).map((r) => r.label)).toEqual([
      'GET /api/search [server]',
      'GET [client] → users:4001',
      'GET [client] → 10.0.0.7',
      'POST [client] → thoughts.internal:8443',
      'GET [client]',
    ]);
  });
});
