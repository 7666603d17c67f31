/**
 * A span exporter that appends OTLP JSON to a file, one `ExportTraceServiceRequest` per line:
 * the local trace view (`periscope trace`) reads these where no trace backend runs.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';

/** Most bytes waiting to be written before batches are refused (counted as failed exports). */
const MAX_PENDING_BYTES = 16 * 1024 * 1024;

/** See the module comment. */
export class FileSpanExporter implements SpanExporter {
  private stream: WriteStream | undefined;
  private failed: Error | undefined;
  private readonly decoder = new TextDecoder();

  constructor(
    readonly path: string,
    private readonly onError: (err: Error) => void = () => {},
  ) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    try {
      const stream = this.open();
      if (this.failed || stream.writableLength > MAX_PENDING_BYTES) {
        resultCallback({ code: ExportResultCode.FAILED, error: this.failed ?? new Error('span file writes are falling behind') });
        return;
      }
      const bytes = JsonTraceSerializer.serializeRequest(spans);
      if (!bytes) throw new Error('spans could not be serialized');
      stream.write(`${this.decoder.decode(bytes)}\n`, (err) => {
        resultCallback(err ? { code: ExportResultCode.FAILED, error: err } : { code: ExportResultCode.SUCCESS });
      });
    } catch (err) {
      resultCallback({ code: ExportResultCode.FAILED, error: err as Error });
    }
  }

  forceFlush(): Promise<void> {
    const stream = this.stream;
    if (!stream || stream.writableLength === 0) return Promise.resolve();
    return new Promise((resolve) => stream.write('', () => resolve()));
  }

  async shutdown(): Promise<void> {
    await this.forceFlush();
    const stream = this.stream;
    this.stream = undefined;
    if (stream) await new Promise<void>((resolve) => stream.end(() => resolve()));
  }

  private open(): WriteStream {
    if (this.stream) return this.stream;
    mkdirSync(dirname(this.path), { recursive: true });
    const stream = createWriteStream(this.path, { flags: 'a' });
    stream.on('error', (err) => {
      this.failed = err;
      this.onError(err);
    });
    this.stream = stream;
    return stream;
  }
}
