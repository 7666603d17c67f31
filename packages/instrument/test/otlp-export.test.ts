import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_OTLP_PROTOCOL } from '../src/core/otel-env.js';
import type { OtlpProtocol } from '../src/core/otel-env.js';
import { otlpExporter } from '../src/tracing/otlp-exporter.js';
import { fixture, runNode } from './exceptions-fixtures.js';
import { closeAll, waitFor } from './helpers.js';
import { decodeJsonSpans, decodeProtobufSpans, otlpSink } from './otlp-sink.js';

afterEach(closeAll);

/** A server span with a client span inside it, finished. */
function finishedSpans(): ReadableSpan[] {
  const done: ReadableSpan[] = [];
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'otlp-svc' }),
    spanProcessors: [{ onStart() {}, onEnd: (s: ReadableSpan) => void done.push(s), forceFlush: async () => {}, shutdown: async () => {} }],
  });
  const tracer = provider.getTracer('t');
  const server = tracer.startSpan('GET /users/:id', { kind: SpanKind.SERVER }, ROOT_CONTEXT);
  tracer.startSpan('GET', { kind: SpanKind.CLIENT }, trace.setSpan(ROOT_CONTEXT, server)).end();
  server.end();
  return done;
}

async function exportWith(protocol: OtlpProtocol, spans: ReadableSpan[]) {
  const sink = await otlpSink();
  const exporter = otlpExporter({ url: `${sink.base}/v1/traces`, protocol, timeoutMillis: 5000, compression: undefined });
  const result = await new Promise<{ code: number; error?: Error }>((resolve) => exporter.export(spans, resolve));
  await exporter.shutdown();
  expect(result.error).toBeUndefined();
  expect(sink.received).toHaveLength(1);
  return sink.received[0]!;
}

describe('OTLP export', () => {
  it('is OTLP JSON over HTTP by default', () => {
    expect(DEFAULT_OTLP_PROTOCOL).toBe('http/json');
  });

  it('with http/protobuf posts application/x-protobuf that decodes to the spans the JSON export carries', async () => {
    const spans = finishedSpans();
    const json = await exportWith('http/json', spans);
    const protobuf = await exportWith('http/protobuf', spans);
    expect(json).toMatchObject({ path: '/v1/traces', contentType: 'application/json' });
    expect(protobuf).toMatchObject({ path: '/v1/traces', contentType: 'application/x-protobuf' });
    const decoded = decodeProtobufSpans(protobuf.body);
    expect(decoded).toEqual(decodeJsonSpans(json.body));
    const [client, server] = decoded;
    expect(server).toMatchObject({ name: 'GET /users/:id', kind: 2, spanId: spans[1]!.spanContext().spanId, traceId: spans[1]!.spanContext().traceId, parentSpanId: undefined, service: 'otlp-svc' });
    expect(client).toMatchObject({ name: 'GET', kind: 3, parentSpanId: server!.spanId });
  });

  it('of a service with OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf reaches the endpoint in protobuf, and the mode line says so', async () => {
    const sink = await otlpSink();
    const run = await runNode(fixture('env-service.mjs'), [], { source: false, env: { OTEL_EXPORTER_OTLP_ENDPOINT: sink.base, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', PERISCOPE_SPANS_FILE: '' } });
    expect(run.stderr).toBe('');
    expect(run.lines.find((l) => String(l.msg).startsWith('periscope tracing:'))?.msg).toBe(
      `periscope tracing: mode own (option 'auto'): spans go to OTLP ${sink.base}/v1/traces (http/protobuf), through Periscope's own pipeline; registered globally: tracer provider, context manager, propagator`,
    );
    const request = await waitFor(() => sink.received[0], 5000, 'an OTLP request');
    expect(request).toMatchObject({ path: '/v1/traces', contentType: 'application/x-protobuf' });
    // The server span of the request, and the client span of the fixture's own fetch.
    expect(decodeProtobufSpans(request.body)).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'GET /', kind: 2, service: 'env-svc' }), expect.objectContaining({ kind: 3, service: 'env-svc' })]),
    );
  }, 30_000);

  it('falls back to http/json for grpc, with one warning', async () => {
    const sink = await otlpSink();
    const run = await runNode(fixture('env-service.mjs'), [], { source: false, env: { OTEL_EXPORTER_OTLP_ENDPOINT: sink.base, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', PERISCOPE_SPANS_FILE: '' } });
    expect(run.lines.filter((l) => l.level === 'warn')).toEqual([expect.objectContaining({ env: { name: 'OTEL_EXPORTER_OTLP_PROTOCOL', value: 'grpc', default: 'http/json (the default)' } })]);
    const request = await waitFor(() => sink.received[0], 5000, 'an OTLP request');
    expect(request.contentType).toBe('application/json');
    expect(decodeJsonSpans(request.body)).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'GET /', kind: 2, service: 'env-svc' })]));
  }, 30_000);
});
