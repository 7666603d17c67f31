/**
 * The tracing pipeline of one instrumented app, configured by the standard `OTEL_*` variables:
 * a tracer provider with the service's resource, the sampler from the environment, and batch
 * export over OTLP (only when an endpoint is configured) and/or to a local spans file.
 */
import { context, propagation, trace } from '@opentelemetry/api';
import type { Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import type { SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace';
import { createBoundedProcessor } from './bounded-processor.js';
import type { DropReason } from './bounded-processor.js';
import { FileSpanExporter } from './file-exporter.js';
import { samplerFromEnv } from './sampler.js';
import type { RotationPolicy } from '../core/rotating-file.js';

/** The propagator Periscope uses: W3C Trace Context and W3C Baggage. */
export const PROPAGATOR = new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] });

/** What the tracing setup needs to know. */
export interface TracingConfig {
  service: string;
  version: string;
  env: NodeJS.ProcessEnv;
  /** Path of the OTLP JSON lines file (PERISCOPE_SPANS_FILE). */
  spansFile: string | undefined;
  /** Size cap and rotation of the spans file. */
  fileRotation?: RotationPolicy | false;
  /** Extra exporters (tests use the SDK's InMemorySpanExporter). */
  exporters: readonly SpanExporter[];
  onDrop: (count: number, reason: DropReason) => void;
  onError: (kind: string, err: unknown) => void;
}

/** A running tracing pipeline. */
export interface Tracing {
  readonly tracer: Tracer;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

let contextManagerInstalled = false;

/** Installs the async-hooks context manager and the W3C propagator globally, unless an app already did. */
function installGlobals(): void {
  if (contextManagerInstalled) return;
  contextManagerInstalled = true;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(PROPAGATOR);
}

/** Parses `OTEL_RESOURCE_ATTRIBUTES` (`k=v,k2=v2`, values percent-encoded); malformed pairs are skipped. */
export function resourceAttributesFromEnv(raw: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!raw) return out;
  for (const pair of raw.split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    try {
      out[decodeURIComponent(pair.slice(0, eq).trim())] = decodeURIComponent(pair.slice(eq + 1).trim());
    } catch {
      // A malformed escape drops that attribute only.
    }
  }
  return out;
}

function otlpConfigured(env: NodeJS.ProcessEnv): boolean {
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '').split(',').map((s) => s.trim().toLowerCase());
  if (exporters.includes('none')) return false;
  return Boolean(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT);
}

/**
 * Starts tracing for one app. `OTEL_SDK_DISABLED=true` gives a tracer that records nothing
 * (propagation still works).
 */
export function startTracing(config: TracingConfig): Tracing {
  installGlobals();
  const { env } = config;
  if ((env.OTEL_SDK_DISABLED ?? '').trim().toLowerCase() === 'true') {
    return { tracer: trace.getTracer('@periscope/instrument'), forceFlush: async () => {}, shutdown: async () => {} };
  }

  const exporters: SpanExporter[] = [...config.exporters];
  if (otlpConfigured(env)) {
    exporters.push(new OTLPTraceExporter({ timeoutMillis: 5000 }));
  }
  if (config.spansFile) exporters.push(new FileSpanExporter(config.spansFile, (err) => config.onError(`span file ${config.spansFile}`, err), config.fileRotation));

  const spanProcessors: SpanProcessor[] = exporters.map((exporter) =>
    createBoundedProcessor(exporter, { onDrop: config.onDrop, onExportError: (err) => config.onError('span export', err) }),
  );
  const resource = resourceFromAttributes({
    ...resourceAttributesFromEnv(env.OTEL_RESOURCE_ATTRIBUTES),
    'service.name': config.service,
    'service.version': config.version,
    'telemetry.sdk.language': 'nodejs',
  });
  const provider = new TracerProvider({ resource, sampler: samplerFromEnv(env), spanProcessors });
  // Code of the app that asks the global API for a tracer gets this pipeline, unless the app set its own.
  trace.setGlobalTracerProvider(provider);
  return {
    tracer: provider.getTracer('@periscope/instrument'),
    forceFlush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}
