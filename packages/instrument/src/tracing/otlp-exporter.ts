/**
 * The OTLP span exporter for the settled `OTEL_EXPORTER_OTLP_*` variables: OTLP over HTTP, in
 * JSON (`http/json`, Periscope's default) or protobuf (`http/protobuf`), both OpenTelemetry's own
 * exporters on the same transport (retries, `OTEL_EXPORTER_OTLP_HEADERS`, TLS files). The URL,
 * timeout and compression are passed as settled, so what the mode line says is what is used.
 */
import { OTLPTraceExporter as JsonOtlpExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufOtlpExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import type { OtlpSettings } from '../core/otel-env.js';

type ExporterConfig = NonNullable<ConstructorParameters<typeof JsonOtlpExporter>[0]>;

/** An exporter posting to `settings.url` in `settings.protocol`. */
export function otlpExporter(settings: OtlpSettings): SpanExporter {
  const config: ExporterConfig = { url: settings.url, timeoutMillis: settings.timeoutMillis };
  // The exporters' CompressionAlgorithm enum has the same string values.
  if (settings.compression !== undefined) config.compression = settings.compression as ExporterConfig['compression'];
  return settings.protocol === 'http/protobuf' ? new ProtobufOtlpExporter(config) : new JsonOtlpExporter(config);
}

/** Where an OTLP exporter sends, in words: `OTLP http://collector:4318/v1/traces (http/protobuf)`. */
export function describeOtlp(settings: OtlpSettings): string {
  return `OTLP ${settings.url} (${settings.protocol}${settings.compression === 'gzip' ? ', gzip' : ''})`;
}
