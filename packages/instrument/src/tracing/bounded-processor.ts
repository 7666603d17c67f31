/**
 * The span processor of Periscope's own pipeline: finished, sampled spans wait in a bounded queue
 * and leave it in small batches, soon, each serialized in its own turn of the event loop. Spans
 * that would not fit in the queue and spans whose export failed (backend down, slow past the
 * timeout) are counted in `periscope_spans_dropped_total{reason}`, so a trace backend that is down
 * shows up on a dashboard instead of as silent gaps.
 *
 * Why not the SDK's `BatchSpanProcessor` (an app's own SDK keeps it: this is used only by
 * `tracing: 'own'`): it exports in the middle of `span.end()` once 512 spans wait — the request
 * that ends the 512th span serializes all of them, 5–14 ms on a 2-core machine, which is where the
 * latency at a fixed rate went — and otherwise holds spans for a second; a span object held that
 * long survives two scavenges and is promoted, so the young generation grows (V8 sizes it by the
 * survival rate) and the old one fills: that was most of the memory tracing added. Here a batch is
 * at most {@link DEFAULT_BATCH} spans, goes out on the next turn once full, and at most
 * {@link DEFAULT_DELAY_MS} after its first span otherwise; a span lives a few milliseconds under
 * load. The drops are counted here too: the SDK can report its own through an experimental
 * self-observability meter provider, but that needs a metrics SDK bridged into prom-client, labels
 * failures by error name rather than by reason, and would not see the queue of this processor.
 */
import { isSampled } from '../core/trace-flags.js';
import { ROOT_CONTEXT, context } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { ExportResultCode, suppressTracing } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, Span, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace';

/** Why a span was dropped. */
export type DropReason = 'queue_full' | 'export_failed';

/**
 * Spans per export: serializing one batch blocks the loop for about 1 ms (OTLP JSON, 3–4 µs a
 * span), and the HTTP request per batch stays a small share of the cost (at 128 a batch it was
 * 1.8 % of the server's CPU at full load, against 0.5 % at 512).
 */
export const DEFAULT_BATCH = 256;
/** Longest a span waits for its batch to fill (ms). */
export const DEFAULT_DELAY_MS = 200;
const DEFAULT_QUEUE = 2048;
const DEFAULT_TIMEOUT_MS = 10_000;
/** Exports in flight at once; further batches wait in the queue. */
const MAX_IN_FLIGHT = 4;

/** Options of {@link createBoundedProcessor}. */
export interface BoundedProcessorOptions {
  /** Most spans waiting to be exported (not counting those in flight). */
  maxQueueSize?: number;
  maxExportBatchSize?: number;
  scheduledDelayMillis?: number;
  exportTimeoutMillis?: number;
  onDrop: (count: number, reason: DropReason) => void;
  /** Called with the first export error of an outage (and again after a success). */
  onExportError: (err: Error) => void;
}

class BoundedProcessor implements SpanProcessor {
  private queue: ReadableSpan[] = [];
  private inFlight = 0;
  private scheduled: 'turn' | 'timer' | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failing = false;
  private closed = false;
  /** Resolvers waiting for the queue and the exports in flight to empty, with the first error seen meanwhile. */
  private waiters: { resolve: () => void; reject: (err: Error) => void; error?: Error }[] = [];
  private readonly maxQueue: number;
  private readonly batch: number;
  private readonly delay: number;
  private readonly timeout: number;

  constructor(
    private readonly exporter: SpanExporter,
    private readonly options: BoundedProcessorOptions,
  ) {
    this.maxQueue = options.maxQueueSize ?? DEFAULT_QUEUE;
    this.batch = Math.min(options.maxExportBatchSize ?? DEFAULT_BATCH, this.maxQueue);
    this.delay = options.scheduledDelayMillis ?? DEFAULT_DELAY_MS;
    this.timeout = options.exportTimeoutMillis ?? DEFAULT_TIMEOUT_MS;
  }

  onStart(_span: Span, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    if (this.closed || !isSampled(span.spanContext())) return;
    if (this.queue.length >= this.maxQueue) {
      this.options.onDrop(1, 'queue_full');
      return;
    }
    this.queue.push(span);
    this.schedule();
  }

  /** The next export: on the next turn once a batch is full, else after the delay. */
  private schedule(): void {
    if (this.inFlight >= MAX_IN_FLIGHT || this.queue.length === 0) return;
    if (this.queue.length >= this.batch) {
      if (this.scheduled === 'turn') return;
      if (this.timer !== undefined) clearTimeout(this.timer);
      this.timer = undefined;
      this.scheduled = 'turn';
      setImmediate(() => this.drain(false));
    } else if (this.scheduled === undefined) {
      this.scheduled = 'timer';
      this.timer = setTimeout(() => this.drain(false), this.delay);
      this.timer.unref();
    }
  }

  /** Exports one batch (or, flushing, every batch that fits in flight) and schedules the rest. */
  private drain(all: boolean): void {
    this.scheduled = undefined;
    this.timer = undefined;
    do {
      if (this.queue.length === 0 || this.inFlight >= MAX_IN_FLIGHT) break;
      this.exportBatch(this.queue.length <= this.batch ? this.queue.splice(0) : this.queue.splice(0, this.batch));
    } while (all);
    this.schedule();
    this.settle();
  }

  private exportBatch(spans: ReadableSpan[]): void {
    const count = spans.length;
    this.inFlight++;
    let settled = false;
    const finish = (result: ExportResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      this.inFlight--;
      if (result.code !== ExportResultCode.SUCCESS) {
        const err = result.error ?? new Error('span export failed');
        this.options.onDrop(count, 'export_failed');
        if (!this.failing) this.options.onExportError(err);
        this.failing = true;
        for (const w of this.waiters) w.error ??= err;
      } else {
        this.failing = false;
      }
      if (this.flushing()) this.drain(true);
      else this.schedule();
      this.settle();
    };
    const timer = setTimeout(() => finish({ code: ExportResultCode.FAILED, error: new Error(`span export timed out after ${this.timeout} ms`) }), this.timeout);
    timer.unref();
    // As the SDK's processor does: the export's own HTTP call is not traced (nor counted as the
    // service's outbound call), and it runs outside the request whose span filled the batch.
    context.with(suppressTracing(ROOT_CONTEXT), () => {
      try {
        this.exporter.export(spans, finish);
      } catch (err) {
        finish({ code: ExportResultCode.FAILED, error: err as Error });
      }
    });
  }

  private flushing(): boolean {
    return this.waiters.length > 0;
  }

  /** Resolves the flushes waiting once nothing is queued or in flight. */
  private settle(): void {
    if (this.queue.length > 0 || this.inFlight > 0 || this.waiters.length === 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) {
      if (w.error) w.reject(w.error);
      else w.resolve();
    }
  }

  forceFlush(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0) return Promise.resolve();
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.drain(true);
    return done;
  }

  async shutdown(): Promise<void> {
    if (this.closed) return;
    try {
      await this.forceFlush();
    } finally {
      this.closed = true;
      await this.exporter.shutdown();
    }
  }
}

/** A batching span processor for `exporter` whose drops are counted (see the module comment). */
export function createBoundedProcessor(exporter: SpanExporter, options: BoundedProcessorOptions): SpanProcessor {
  return new BoundedProcessor(exporter, options);
}
