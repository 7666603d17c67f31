/**
 * Span times: every server and client span starts and ends on one high-resolution clock, so a
 * child span lies inside its parent — within a service and across two services over real HTTP.
 */
import { get } from 'node:http';
import type { HrTime } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';
import { spanTime } from '../src/tracing/clock.js';
import { closeAll, startApp } from './helpers.js';

afterEach(closeAll);

const nanos = ([s, ns]: HrTime) => BigInt(s) * 1_000_000_000n + BigInt(ns);

/** GET over node:http, body read to the end. */
function httpGet(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', reject);
  });
}

/** An outer service whose /outer calls an inner one twice (fetch, then http.get), both instrumented. */
async function twoServices() {
  const innerSpans = new InMemorySpanExporter();
  const outerSpans = new InMemorySpanExporter();
  const inner = await startApp((app) => app.get('/inner/:n', (req, res) => res.json({ n: req.params.n })), { service: 'inner', spanExporters: [innerSpans] });
  const outer = await startApp(
    (app) =>
      app.get('/outer/:n', async (req, res) => {
        await (await fetch(`${inner.base}/inner/${req.params.n}`)).text();
        await httpGet(`${inner.base}/inner/${req.params.n}`);
        res.json({ ok: true });
      }),
    { service: 'outer', spanExporters: [outerSpans] },
  );
  const spans = async () => {
    await outer.telemetry.flush();
    await inner.telemetry.flush();
    return [...outerSpans.getFinishedSpans(), ...innerSpans.getFinishedSpans()];
  };
  return { outer, spans };
}

/** Sends `count` requests, `concurrency` at a time. */
async function load(count: number, concurrency: number, send: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) await send(next++);
  }));
}

describe('span times', () => {
  it('converts hrtime readings to epoch times in nanoseconds, in order, close to the wall clock', () => {
    const a = process.hrtime.bigint();
    const b = a + 1n;
    const c = a + 1_500_000_123n;
    expect(nanos(spanTime(b)) - nanos(spanTime(a))).toBe(1n);
    expect(nanos(spanTime(c)) - nanos(spanTime(a))).toBe(1_500_000_123n);
    for (const t of [a, b, c]) {
      expect(spanTime(t)[1]).toBeGreaterThanOrEqual(0);
      expect(spanTime(t)[1]).toBeLessThan(1e9);
    }
    const [s, ns] = spanTime(process.hrtime.bigint());
    expect(Math.abs(s * 1000 + ns / 1e6 - Date.now())).toBeLessThan(50);
  });

  it('starts server and client spans at times that are not all whole milliseconds', async () => {
    const { outer, spans } = await twoServices();
    await load(20, 2, (i) => fetch(`${outer.base}/outer/${i}`).then((r) => r.text()));
    const all = await spans();
    const servers = all.filter((s) => s.kind === 1);
    const clients = all.filter((s) => s.kind === 2);
    // Per request: the outer and two inner server spans; the outer's two calls, and the test's own
    // call (outside any request, it is traced by the newest app).
    expect(servers.length).toBe(60);
    expect(clients.length).toBe(60);
    const wholeMs = (ss: ReadableSpan[]) => ss.filter((s) => s.startTime[1] % 1_000_000 === 0).length;
    // One in a million would fall on a whole millisecond by chance.
    expect(wholeMs(servers)).toBeLessThan(3);
    expect(wholeMs(clients)).toBeLessThan(3);
    expect(all.filter((s) => s.endTime[1] % 1_000_000 === 0).length).toBeLessThan(3);
  });

  it('never starts a child span before its parent or ends it after, over many requests through two services', async () => {
    const { outer, spans } = await twoServices();
    await load(300, 6, (i) => fetch(`${outer.base}/outer/${i}`).then((r) => r.text()));
    const all = await spans();
    const byId = new Map(all.map((s) => [s.spanContext().spanId, s]));
    let pairs = 0;
    const outside: string[] = [];
    for (const child of all) {
      const parent = child.parentSpanContext && byId.get(child.parentSpanContext.spanId);
      if (!parent) continue;
      pairs++;
      const early = nanos(parent.startTime) - nanos(child.startTime);
      const late = nanos(child.endTime) - nanos(parent.endTime);
      if (early > 0n || late > 0n) outside.push(`${child.name} in ${parent.name}: starts ${early} ns early, ends ${late} ns late`);
    }
    // Per request: the outer server span in the test's client span, two client spans in the outer
    // server span, and an inner server span in each of those.
    expect(pairs).toBe(300 * 5);
    expect(outside).toEqual([]);
  }, 60_000);
});
