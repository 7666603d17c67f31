import { createServer } from 'node:net';
import type { Socket } from 'node:net';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, listen, retainedHeap, samples, scrape, startApp } from './helpers.js';

afterEach(closeAll);

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const PARENT = 'b7ad6b7169203331';
const VALID = `00-${TRACE}-${PARENT}-01`;

/** An app whose GET /call calls a plain downstream server that reports the headers it received. */
async function appWithDownstream(exporter = new InMemorySpanExporter()) {
  const received: Record<string, string | string[] | undefined>[] = [];
  const downstream = await listen((req, res) => {
    received.push(req.headers);
    res.end('{}');
  });
  const t = await startApp(
    (app) => {
      app.get('/call', async (_req, res) => {
        await (await fetch(`${downstream.base}/down`)).text();
        res.json({ ok: true });
      });
      app.get('/fail', () => {
        throw new SyntaxError('bad thing');
      });
    },
    { spanExporters: [exporter] },
  );
  return { t, exporter, received };
}

const traceparentOf = (h: Record<string, unknown>) => String(h.traceparent);

describe('W3C trace context', () => {
  it('continues a valid caller trace and sends it downstream with a new parent ID', async () => {
    const { t, exporter, received } = await appWithDownstream();
    const res = await fetch(`${t.base}/call`, { headers: { traceparent: VALID, 'x-request-id': 'tp-1' } });
    expect(res.status).toBe(200);
    const down = traceparentOf(received[0]!);
    expect(down).toMatch(new RegExp(`^00-${TRACE}-[0-9a-f]{16}-01$`));
    expect(down).not.toContain(PARENT);
    expect(received[0]!['x-request-id']).toBe('tp-1');
    await t.telemetry.flush();
    const spans = exporter.getFinishedSpans();
    const server = spans.find((s) => s.name === 'GET /call')!;
    const client = spans.find((s) => s.kind === 2 /* CLIENT */)!;
    expect(server.spanContext().traceId).toBe(TRACE);
    expect(server.parentSpanContext?.spanId).toBe(PARENT);
    expect(client.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
    expect(down.split('-')[2]).toBe(client.spanContext().spanId);
    expect(server.attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.route': '/call',
      'http.response.status_code': 200,
      'url.path': '/call',
      'url.scheme': 'http',
      'server.address': '127.0.0.1',
      'periscope.request_id': 'tp-1',
    });
    expect(server.attributes['client.address']).toMatch(/127\.0\.0\.1/);
    expect(server.attributes['user_agent.original']).toBeDefined();
    const [line] = await t.accessLines(1);
    expect(line).toMatchObject({ trace_id: TRACE, span_id: server.spanContext().spanId, trace_flags: '01' });
  });

  it("honours the caller's unsampled flag: passes 00 on and exports nothing", async () => {
    const { t, exporter, received } = await appWithDownstream();
    await fetch(`${t.base}/call`, { headers: { traceparent: `00-${TRACE}-${PARENT}-00` } });
    expect(traceparentOf(received[0]!)).toMatch(new RegExp(`^00-${TRACE}-[0-9a-f]{16}-00$`));
    await t.telemetry.flush();
    expect(exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === TRACE)).toEqual([]);
  });

  it.each([
    ['a trace ID one digit short', `00-${TRACE.slice(1)}-${PARENT}-01`],
    ['upper-case hex', `00-${TRACE.toUpperCase()}-${PARENT}-01`],
    ['an all-zero trace ID', `00-${'0'.repeat(32)}-${PARENT}-01`],
    ['an all-zero parent ID', `00-${TRACE}-${'0'.repeat(16)}-01`],
    ['version ff', `ff-${TRACE}-${PARENT}-01`],
    ['bad flags', `00-${TRACE}-${PARENT}-zz`],
    ['version 00 with extra fields', `00-${TRACE}-${PARENT}-01-extra`],
    ['garbage', 'not a traceparent at all'],
  ])('starts a new trace for a traceparent with %s, and never fails the request', async (_name, header) => {
    const { t, received } = await appWithDownstream();
    const res = await fetch(`${t.base}/call`, { headers: { traceparent: header } });
    expect(res.status).toBe(200);
    const down = traceparentOf(received[0]!);
    expect(down).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(down.split('-')[1]).not.toBe(TRACE);
    expect(down.split('-')[1]).not.toBe('0'.repeat(32));
  });

  it('parses a future version by its first four fields, as the spec says', async () => {
    const { t, received } = await appWithDownstream();
    await fetch(`${t.base}/call`, { headers: { traceparent: `cc-${TRACE}-${PARENT}-01-what-the-future-holds` } });
    expect(traceparentOf(received[0]!)).toMatch(new RegExp(`^00-${TRACE}-[0-9a-f]{16}-01$`));
  });

  it('passes a valid tracestate on unchanged, and discards an invalid one whole while still continuing the trace', async () => {
    const { t, received } = await appWithDownstream();
    await fetch(`${t.base}/call`, { headers: { traceparent: VALID, tracestate: 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7' } });
    expect(received[0]!.tracestate).toBe('congo=t61rcWkgMzE,rojo=00f067aa0ba902b7');
    await fetch(`${t.base}/call`, { headers: { traceparent: VALID, tracestate: 'good=1,BAD KEY=2,also@ok=3' } });
    expect(received[1]!.tracestate).toBeUndefined();
    expect(traceparentOf(received[1]!)).toMatch(new RegExp(`^00-${TRACE}-[0-9a-f]{16}-01$`));
    const many = Array.from({ length: 33 }, (_, i) => `k${i}=v${i}`).join(',');
    await fetch(`${t.base}/call`, { headers: { traceparent: VALID, tracestate: many } });
    expect(received[2]!.tracestate).toBeUndefined();
    const thirtyTwo = Array.from({ length: 32 }, (_, i) => `k${i}=v${i}`).join(',');
    await fetch(`${t.base}/call`, { headers: { traceparent: VALID, tracestate: thirtyTwo } });
    expect(received[3]!.tracestate).toBe(thirtyTwo);
  });

  it('passes W3C baggage on, and 8 KB of baggage never fails the request', async () => {
    const { t, received } = await appWithDownstream();
    await fetch(`${t.base}/call`, { headers: { traceparent: VALID, baggage: 'tenant=acme,plan=gold' } });
    expect(String(received[0]!.baggage)).toContain('tenant=acme');
    const huge = Array.from({ length: 450 }, (_, i) => `key${i}=${'v'.repeat(12)}`).join(',');
    expect(huge.length).toBeGreaterThan(8000);
    const res = await fetch(`${t.base}/call`, { headers: { traceparent: VALID, baggage: huge } });
    expect(res.status).toBe(200);
  });
});

describe('spans', () => {
  it('marks a 5xx server span as an error, with error.type and the exception as an event', async () => {
    const { t, exporter } = await appWithDownstream();
    expect((await fetch(`${t.base}/fail`)).status).toBe(500);
    await t.telemetry.flush();
    const span = exporter.getFinishedSpans().find((s) => s.name === 'GET /fail')!;
    expect(span.status.code).toBe(2);
    expect(span.attributes['error.type']).toBe('SyntaxError');
    expect(span.attributes['http.response.status_code']).toBe(500);
    const event = span.events.find((e) => e.name === 'exception')!;
    expect(event.attributes).toMatchObject({ 'exception.type': 'SyntaxError', 'exception.message': 'bad thing' });
  });

  it('names a span for an unmatched request by its method only, and records client call metrics', async () => {
    const { t, exporter } = await appWithDownstream();
    await fetch(`${t.base}/nowhere/${Math.random()}`);
    await fetch(`${t.base}/call`);
    const text = await scrape(t.base);
    expect(samples(text, 'http_client_request_duration_seconds_count').some((l) => /http_request_method="GET",server_address="127\.0\.0\.1:\d+",http_response_status_code="200"/.test(l))).toBe(true);
    await t.telemetry.flush();
    expect(exporter.getFinishedSpans().some((s) => s.name === 'GET' && s.kind === 1)).toBe(true);
  });
});

describe('a trace backend that is down or slow', () => {
  /** A server that accepts connections and never answers. */
  async function blackHole(): Promise<{ port: number; close: () => void }> {
    const sockets = new Set<Socket>();
    const srv = createServer((s) => sockets.add(s));
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    return { port: (srv.address() as { port: number }).port, close: () => (sockets.forEach((s) => s.destroy()), srv.close()) };
  }

  async function run(base: string, count: number, concurrency: number): Promise<number[]> {
    const latencies: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next++ < count) {
          const t0 = performance.now();
          await (await fetch(`${base}/ok`)).arrayBuffer();
          latencies.push(performance.now() - t0);
        }
      }),
    );
    return latencies.sort((a, b) => a - b);
  }

  it.each([
    ['down (connection refused)', 'down', 5000],
    ['slow (accepts and never answers)', 'slow', 20000],
  ])('keeps requests fast and memory bounded while the backend is %s, and counts dropped spans', async (_name, mode, count) => {
    const hole = mode === 'slow' ? await blackHole() : undefined;
    const port = hole?.port ?? 1;
    const saved = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = `http://127.0.0.1:${port}`;
    let traced;
    try {
      traced = await startApp((app) => app.get('/ok', (_req, res) => res.send('ok')));
    } finally {
      if (saved === undefined) delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
      else process.env.OTEL_EXPORTER_OTLP_ENDPOINT = saved;
    }
    const plain = await startApp((app) => app.get('/ok', (_req, res) => res.send('ok')), { tracing: false });
    const heapBefore = retainedHeap();
    const rounds = 4;
    const medians: { traced: number[]; plain: number[] } = { traced: [], plain: [] };
    for (let r = 0; r < rounds; r++) {
      const a = await run(traced.base, count / rounds, 20);
      const b = await run(plain.base, 500, 20);
      medians.traced.push(a[a.length >> 1]!);
      medians.plain.push(b[b.length >> 1]!);
    }
    const heapAfter = retainedHeap();
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1]!;
    // Within noise: the same order of magnitude as an app that exports nothing (loopback, 2 cores shared).
    expect(median(medians.traced)).toBeLessThan(median(medians.plain) * 3 + 5);
    expect(heapAfter - heapBefore).toBeLessThan(48 * 1024 * 1024);
    const dropped = await (async () => {
      for (let i = 0; i < 100; i++) {
        const line = samples(await scrape(traced.base), 'periscope_spans_dropped_total').map((l) => Number(l.split(' ').pop()));
        const total = line.reduce((x, y) => x + y, 0);
        if (total > 0) return total;
        await new Promise((r) => setTimeout(r, 200));
      }
      return 0;
    })();
    expect(dropped).toBeGreaterThan(0);
    hole?.close();
  }, 180_000);
});
