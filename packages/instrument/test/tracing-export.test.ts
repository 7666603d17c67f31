/**
 * Periscope's own pipeline batches and exports spans itself (tracing/bounded-processor.ts): for a
 * recorded set of requests, what reaches an OTLP endpoint must be the spans, attributes and events
 * the SDK records, each payload byte for byte what OpenTelemetry's `JsonTraceSerializer` writes for
 * the spans in it — as with the SDK's batch processor before.
 */
import { SpanKind } from '@opentelemetry/api';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, startApp, waitFor } from './helpers.js';
import { otlpSink } from './otlp-sink.js';

afterEach(closeAll);

const sdkJson = (spans: ReadableSpan[]) => new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans));

describe("the own pipeline's export", () => {
  it('exports, for a recorded set of requests, the spans the SDK serializer writes', async () => {
    const sink = await otlpSink();
    const memory = new InMemorySpanExporter();
    const saved = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = sink.base;
    let svc;
    try {
      svc = await startApp(
        (app) => {
          app.get('/users/:id', (req, res) => res.json({ id: req.params.id }));
          app.post('/fail', () => {
            throw new Error('handler failed');
          });
          app.get('/slow', (_req, res) => setTimeout(() => res.send('late'), 5));
        },
        { tracing: 'own', spanExporters: [memory] },
      );
    } finally {
      if (saved === undefined) delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
      else process.env.OTEL_EXPORTER_OTLP_ENDPOINT = saved;
    }
    // The recorded request set: new traces, continued ones (with trace state and baggage), an
    // unsampled caller, a handler error, an unmatched path, a long user agent.
    const requests: [string, RequestInit?][] = [
      ['/users/42'],
      ['/users/7?token=secret', { headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', tracestate: 'vendor=a' } }],
      ['/users/8', { headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319d-b7ad6b7169203332-00' } }],
      ['/users/9', { headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319e-b7ad6b7169203333-01', baggage: 'tenant=t1' } }],
      ['/fail', { method: 'POST' }],
      ['/nowhere'],
      ['/slow', { headers: { 'user-agent': `ua-${'x'.repeat(1500)}` } }],
    ];
    for (let round = 0; round < 20; round++) for (const [path, init] of requests) await (await fetch(`${svc.base}${path}`, init)).arrayBuffer();
    await svc.telemetry.flush();
    const recorded = memory.getFinishedSpans();
    // A server span for every request but the unsampled caller's; the test's own fetch calls, made
    // in this process, are outbound calls of the app too (client spans, where no traceparent was set).
    expect(recorded.filter((s) => s.kind === SpanKind.SERVER).length).toBe(20 * (requests.length - 1));
    await waitFor(() => (sink.received.reduce((n, r) => n + (JSON.parse(r.body.toString()) as { resourceSpans: { scopeSpans: { spans: unknown[] }[] }[] }).resourceSpans[0]!.scopeSpans[0]!.spans.length, 0) >= recorded.length ? true : undefined), 5000, 'every span at the sink');

    type Request = { resourceSpans: { resource: unknown; scopeSpans: { scope: unknown; spans: { spanId: string }[] }[] }[] };
    const flatten = (requests: Request[]) => {
      const resources = new Set<string>();
      const scopes = new Set<string>();
      const spans: { spanId: string }[] = [];
      for (const r of requests) {
        for (const rs of r.resourceSpans) {
          resources.add(JSON.stringify(rs.resource));
          for (const ss of rs.scopeSpans) {
            scopes.add(JSON.stringify(ss.scope));
            spans.push(...ss.spans);
          }
        }
      }
      return { resources: [...resources], scopes: [...scopes], spans: spans.sort((x, y) => x.spanId.localeCompare(y.spanId)) };
    };
    for (const r of sink.received) expect(r.contentType).toBe('application/json');
    const sent = flatten(sink.received.map((r) => JSON.parse(r.body.toString()) as Request));
    const expected = flatten([JSON.parse(sdkJson(recorded)) as Request]);
    expect(sent).toEqual(expected);
    // And each payload is the SDK serializer's bytes for the spans in it.
    for (const r of sink.received) {
      const ids = new Set(flatten([JSON.parse(r.body.toString()) as Request]).spans.map((s) => s.spanId));
      const inOrder = (JSON.parse(r.body.toString()) as Request).resourceSpans[0]!.scopeSpans[0]!.spans.map((s) => recorded.find((x) => x.spanContext().spanId === s.spanId)!);
      expect(inOrder.length).toBe(ids.size);
      expect(r.body.toString()).toBe(sdkJson(inOrder));
    }
  });
});
