import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { AlwaysOffSampler, AlwaysOnSampler, ParentBasedSampler, TraceIdRatioBasedSampler, TracerProvider } from '@opentelemetry/sdk-trace';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { spansOf } from '@periscope/cli';
import { createBoundedProcessor } from '../src/tracing/bounded-processor.js';
import { FileSpanExporter } from '../src/tracing/file-exporter.js';
import { EnvReader } from '../src/core/env.js';
import { resourceAttributes, tracingEnv } from '../src/core/otel-env.js';
import { samplerOf } from '../src/tracing/sampler.js';

const samplerFromEnv = (env: NodeJS.ProcessEnv) => samplerOf(tracingEnv(new EnvReader(env)));
const resourceAttributesFromEnv = (raw: string | undefined) => resourceAttributes(new EnvReader({ OTEL_RESOURCE_ATTRIBUTES: raw }));

function finishedSpans(count: number, processor = undefined as Parameters<typeof createBoundedProcessor>[0] | undefined): ReadableSpan[] {
  const collected: ReadableSpan[] = [];
  const provider = new TracerProvider({
    spanProcessors: [{ onStart() {}, onEnd: (s: ReadableSpan) => void collected.push(s), forceFlush: async () => {}, shutdown: async () => {} }],
  });
  const tracer = provider.getTracer('t');
  for (let i = 0; i < count; i++) tracer.startSpan(`span ${i}`, { kind: SpanKind.SERVER, attributes: { 'http.route': '/x' } }, ROOT_CONTEXT).end();
  void processor;
  return collected;
}

describe('sampler from the environment', () => {
  it.each([
    [{}, ParentBasedSampler, 'ParentBased{root=AlwaysOnSampler'],
    [{ OTEL_TRACES_SAMPLER: 'always_on' }, AlwaysOnSampler, 'AlwaysOnSampler'],
    [{ OTEL_TRACES_SAMPLER: 'always_off' }, AlwaysOffSampler, 'AlwaysOffSampler'],
    [{ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' }, TraceIdRatioBasedSampler, 'TraceIdRatioBased{0.25}'],
    [{ OTEL_TRACES_SAMPLER: 'parentbased_always_off' }, ParentBasedSampler, 'root=AlwaysOffSampler'],
    [{ OTEL_TRACES_SAMPLER: 'PARENTBASED_TRACEIDRATIO', OTEL_TRACES_SAMPLER_ARG: '0.1' }, ParentBasedSampler, 'TraceIdRatioBased{0.1}'],
  ])('builds %j', (env, type, text) => {
    const sampler = samplerFromEnv(env);
    expect(sampler).toBeInstanceOf(type);
    expect(sampler.toString()).toContain(text);
  });

  it('falls back as the SDK does for an unknown sampler (parentbased_always_on) and a ratio outside 0-1 (1)', () => {
    expect(samplerFromEnv({ OTEL_TRACES_SAMPLER: 'sometimes' }).toString()).toContain('ParentBased{root=AlwaysOnSampler');
    expect(samplerFromEnv({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '2' }).toString()).toBe('TraceIdRatioBased{1}');
  });
});

describe('resource attributes from OTEL_RESOURCE_ATTRIBUTES', () => {
  it('parses percent-encoded pairs and skips malformed ones', () => {
    expect(resourceAttributesFromEnv('deployment.environment=prod,team=a%20b,broken,=x,bad=%E0%A4%A')).toEqual({ 'deployment.environment': 'prod', team: 'a b' });
    expect(resourceAttributesFromEnv(undefined)).toEqual({});
  });
});

describe('the spans file exporter', () => {
  it('appends one OTLP JSON request per export that the trace view reads back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spans-'));
    try {
      const file = join(dir, 'nested', 'svc.jsonl');
      const exporter = new FileSpanExporter(file);
      const spans = finishedSpans(3);
      for (const batch of [spans.slice(0, 2), spans.slice(2)]) {
        const result = await new Promise<{ code: number }>((resolve) => exporter.export(batch, resolve));
        expect(result.code).toBe(ExportResultCode.SUCCESS);
      }
      await exporter.shutdown();
      const lines = readFileSync(file, 'utf8').trim().split('\n');
      expect(lines).toHaveLength(2);
      const read = lines.flatMap((l) => spansOf(JSON.parse(l)));
      expect(read.map((s) => s.name)).toEqual(['span 0', 'span 1', 'span 2']);
      expect(read[0]).toMatchObject({ kind: 2, traceId: spans[0]!.spanContext().traceId, attributes: { 'http.route': '/x' } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a failed export when the file cannot be written, without throwing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spans-'));
    try {
      const blocker = join(dir, 'a-file');
      writeFileSync(blocker, 'not a directory');
      const exporter = new FileSpanExporter(join(blocker, 'sub', 'x.jsonl'));
      const result = await new Promise<{ code: number; error?: Error }>((resolve) => exporter.export(finishedSpans(1), resolve));
      expect(result.code).toBe(ExportResultCode.FAILED);
      expect(result.error?.message).toMatch(/ENOTDIR|EEXIST/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the bounded batch processor', () => {
  it('counts spans dropped when the queue is full behind a stuck export', async () => {
    const drops: [number, string][] = [];
    const stuck: SpanExporter = { export: () => {}, shutdown: async () => {} };
    const processor = createBoundedProcessor(stuck, { maxQueueSize: 5, maxExportBatchSize: 5, scheduledDelayMillis: 60_000, exportTimeoutMillis: 200, onDrop: (n, r) => drops.push([n, r]), onExportError: () => {} });
    // Five go out in one (never finishing) export on the next turn, five wait in the queue, three find it full.
    const spans = finishedSpans(13);
    for (const span of spans.slice(0, 5)) processor.onEnd(span);
    await new Promise((resolve) => setImmediate(resolve));
    for (const span of spans.slice(5)) processor.onEnd(span);
    expect(drops).toEqual([[1, 'queue_full'], [1, 'queue_full'], [1, 'queue_full']]);
  });

  it('counts the spans of a failed export and reports the outage once', async () => {
    const drops: [number, string][] = [];
    const errors: Error[] = [];
    const failing: SpanExporter = { export: (_spans, done) => done({ code: ExportResultCode.FAILED, error: new Error('backend down') }), shutdown: async () => {} };
    const processor = createBoundedProcessor(failing, { maxQueueSize: 50, maxExportBatchSize: 5, scheduledDelayMillis: 60_000, onDrop: (n, r) => drops.push([n, r]), onExportError: (e) => errors.push(e) });
    for (const span of finishedSpans(10)) processor.onEnd(span);
    await expect(processor.forceFlush()).rejects.toThrow('backend down');
    expect(drops).toEqual([[5, 'export_failed'], [5, 'export_failed']]);
    expect(errors.map((e) => e.message)).toEqual(['backend down']);
    await processor.shutdown();
  });
});
