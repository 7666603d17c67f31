/**
 * The SDK's batch span processor, with its queue accounted for: spans that would not fit in the
 * queue and spans whose export failed (backend down, slow past the timeout) are counted in
 * `periscope_spans_dropped_total{reason}`, so a trace backend that is down shows up on a
 * dashboard instead of as silent gaps.
 */
import { isSampled } from '../core/trace-flags.js';
import type { Context } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace';
import type { ReadableSpan, Span, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace';

/** Why a span was dropped. */
export type DropReason = 'queue_full' | 'export_failed';

/** Options of {@link createBoundedProcessor}. */
export interface BoundedProcessorOptions {
  maxQueueSize?: number;
  maxExportBatchSize?: number;
  scheduledDelayMillis?: number;
  exportTimeoutMillis?: number;
  onDrop: (count: number, reason: DropReason) => void;
  /** Called with the first export error of an outage (and again after a success). */
  onExportError: (err: Error) => void;
}

/** Wraps `exporter` so each batch leaving the queue is accounted for and failures are counted. */
class AccountingExporter implements SpanExporter {
  queued = 0;
  private failing = false;
  constructor(
    private readonly inner: SpanExporter,
    private readonly options: BoundedProcessorOptions,
  ) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.queued = Math.max(0, this.queued - spans.length);
    let settled = false;
    const finish = (result: ExportResult) => {
      if (settled) return;
      settled = true;
      if (result.code !== ExportResultCode.SUCCESS) {
        this.options.onDrop(spans.length, 'export_failed');
        if (!this.failing) this.options.onExportError(result.error ?? new Error('span export failed'));
        this.failing = true;
      } else {
        this.failing = false;
      }
      done(result);
    };
    try {
      this.inner.export(spans, finish);
    } catch (err) {
      finish({ code: ExportResultCode.FAILED, error: err as Error });
    }
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

class BoundedProcessor implements SpanProcessor {
  constructor(
    private readonly batch: BatchSpanProcessor,
    private readonly accounting: AccountingExporter,
    private readonly maxQueueSize: number,
    private readonly onDrop: (count: number, reason: DropReason) => void,
  ) {}

  onStart(span: Span, parentContext: Context): void {
    this.batch.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    if (!isSampled(span.spanContext())) return;
    if (this.accounting.queued >= this.maxQueueSize) {
      this.onDrop(1, 'queue_full');
      return;
    }
    this.accounting.queued++;
    this.batch.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.batch.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.batch.shutdown();
  }
}

/** A batch span processor for `exporter` whose drops are counted (see the module comment). */
export function createBoundedProcessor(exporter: SpanExporter, options: BoundedProcessorOptions): SpanProcessor {
  const maxQueueSize = options.maxQueueSize ?? 2048;
  const accounting = new AccountingExporter(exporter, options);
  const batch = new BatchSpanProcessor({
    exporter: accounting,
    maxQueueSize,
    maxExportBatchSize: options.maxExportBatchSize ?? 512,
    scheduledDelayMillis: options.scheduledDelayMillis ?? 1000,
    exportTimeoutMillis: options.exportTimeoutMillis ?? 10_000,
  });
  return new BoundedProcessor(batch, accounting, maxQueueSize, options.onDrop);
}
