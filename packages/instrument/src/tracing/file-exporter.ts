/**
 * A span exporter that appends OTLP JSON to a file, one `ExportTraceServiceRequest` per line:
 * the local trace view (`periscope trace`) reads these where no trace backend runs. With a
 * rotation policy the file is capped in size and rotated (see core/rotating-file.ts).
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import { RotatingFile } from '../core/rotating-file.js';
import type { RotationPolicy } from '../core/rotating-file.js';

/** Most bytes waiting to be written before batches are refused (counted as failed exports). */
const MAX_PENDING_BYTES = 16 * 1024 * 1024;

/** See the module comment. */
export class FileSpanExporter implements SpanExporter {
  private stream: WriteStream | undefined;
  private failed: Error | undefined;
  private readonly decoder = new TextDecoder();
  private readonly rotation: RotatingFile | undefined;

  constructor(
    readonly path: string,
    private readonly onError: (err: Error) => void = () => {},
    rotation: RotationPolicy | false = false,
  ) {
    if (rotation) {
      this.rotation = RotatingFile.for(path, rotation);
      // Batches still being written finish in the renamed file; the next one opens the path anew.
      this.rotation.join({
        settle: () => !this.stream?.pending,
        reopen: () => {
          this.stream?.end();
          this.stream = undefined;
        },
      });
    }
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    try {
      if (this.failed || (this.stream?.writableLength ?? 0) > MAX_PENDING_BYTES) {
        resultCallback({ code: ExportResultCode.FAILED, error: this.failed ?? new Error('span file writes are falling behind') });
        return;
      }
      const bytes = JsonTraceSerializer.serializeRequest(spans);
      if (!bytes) throw new Error('spans could not be serialized');
      const line = `${this.decoder.decode(bytes)}\n`;
      this.rotation?.add(line.length);
      this.open().write(line, (err) => {
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
