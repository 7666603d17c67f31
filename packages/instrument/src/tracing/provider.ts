/**
 * Periscope's own tracing pipeline ('own' mode, or 'auto' when the app registered no tracer
 * provider), configured by the standard `OTEL_*` variables: a tracer provider with the service's
 * resource, the sampler from the environment, and batch export over OTLP (only when an endpoint
 * is configured) and/or to a local spans file. It registers a global tracer provider, context
 * manager and propagator only where the app has none.
 */
import { trace } from '@opentelemetry/api';
import type { Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import type { SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace';
import { createBoundedProcessor } from './bounded-processor.js';
import type { DropReason } from './bounded-processor.js';
import { FileSpanExporter } from './file-exporter.js';
import { ensureContextManager, ensurePropagator, globalTracerProviderRegistered, periscopeProviders } from './globals.js';
import { samplerFromEnv } from './sampler.js';
import type { RotationPolicy } from '../core/rotating-file.js';

export { PROPAGATOR } from './propagation/index.js';

/** The instrumentation scope of Periscope's spans. */
export const TRACER_NAME = '@periscope/instrument';

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

/** A pipeline Periscope built; nothing is global until {@link OwnPipeline.registerGlobals}. */
export interface OwnPipeline {
  readonly tracer: Tracer;
  /** Registers the tracer provider, context manager and propagator where none exist; returns what it registered. */
  registerGlobals(): string[];
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** True when any tracer provider (the app's or another Periscope app's) is already global. */
function tracerProviderSet(): boolean {
  const provider = trace.getTracerProvider() as { getDelegateTracer?(name: string): unknown };
  return typeof provider.getDelegateTracer !== 'function' || provider.getDelegateTracer(TRACER_NAME) !== undefined;
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

function registerContext(): string[] {
  const registered: string[] = [];
  if (ensureContextManager()) registered.push('context manager');
  if (ensurePropagator()) registered.push('propagator');
  return registered;
}

/**
 * Builds Periscope's pipeline for one app (its exporters read the `OTEL_*` variables now).
 * `OTEL_SDK_DISABLED=true` gives a tracer that records nothing (propagation still works).
 */
export function buildOwnPipeline(config: TracingConfig): OwnPipeline {
  const { env } = config;
  if ((env.OTEL_SDK_DISABLED ?? '').trim().toLowerCase() === 'true') {
    return { tracer: trace.getTracer(TRACER_NAME), registerGlobals: registerContext, forceFlush: async () => {}, shutdown: async () => {} };
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
  periscopeProviders.add(provider);
  return {
    tracer: provider.getTracer(TRACER_NAME),
    registerGlobals() {
      const registered = registerContext();
      // Code of the app that asks the global API for a tracer gets this pipeline, unless a provider is set.
      if (!globalTracerProviderRegistered() && !tracerProviderSet() && trace.setGlobalTracerProvider(provider)) registered.unshift('tracer provider');
      return registered;
    },
    forceFlush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}
