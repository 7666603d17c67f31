/**
 * Periscope's own tracing pipeline ('own' mode, or 'auto' when the app registered no tracer
 * provider), configured by the standard `OTEL_*` variables: a tracer provider with the service's
 * resource, the sampler from the environment, and batch export over OTLP (only when an endpoint
 * is configured) and/or to a local spans file. It registers a global tracer provider, context
 * manager and propagator only where the app has none.
 */
import { trace } from '@opentelemetry/api';
import type { Tracer } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import type { SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace';
import { createBoundedProcessor } from './bounded-processor.js';
import type { DropReason } from './bounded-processor.js';
import { FileSpanExporter } from './file-exporter.js';
import { ensureContextManager, ensurePropagator, globalTracerProviderRegistered, periscopeProviders } from './globals.js';
import { describeOtlp, otlpExporter } from './otlp-exporter.js';
import { samplerOf } from './sampler.js';
import type { TracingEnv } from '../core/otel-env.js';
import type { RotationPolicy } from '../core/rotating-file.js';

export { PROPAGATOR } from './propagation/index.js';

/** The instrumentation scope of Periscope's spans. */
export const TRACER_NAME = '@periscope/instrument';

/** What the tracing setup needs to know. */
export interface TracingConfig {
  service: string;
  version: string;
  /** The `OTEL_*` variables, settled when instrument() was called. */
  otel: TracingEnv;
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
  /** Where spans go, in words: `to OTLP http://…/v1/traces (http/json)`, `nowhere (…)`. */
  readonly destination: string;
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

function registerContext(): string[] {
  const registered: string[] = [];
  if (ensureContextManager()) registered.push('context manager');
  if (ensurePropagator()) registered.push('propagator');
  return registered;
}

/** `to A, B and C`, or why there is nowhere to go. */
function destinationOf(targets: readonly string[]): string {
  if (targets.length === 0) return 'nowhere (no exporter: set OTEL_EXPORTER_OTLP_ENDPOINT, or PERISCOPE_SPANS_FILE for a local file)';
  return `to ${targets.length === 1 ? targets[0] : `${targets.slice(0, -1).join(', ')} and ${targets.at(-1)}`}`;
}

/**
 * Builds Periscope's pipeline for one app from the settled `OTEL_*` variables.
 * `OTEL_SDK_DISABLED=true` gives a tracer that records nothing (propagation still works).
 */
export function buildOwnPipeline(config: TracingConfig): OwnPipeline {
  const { otel } = config;
  if (otel.disabled) {
    const destination = 'nowhere (OTEL_SDK_DISABLED=true: no span is recorded; trace context is still propagated)';
    return { tracer: trace.getTracer(TRACER_NAME), destination, registerGlobals: registerContext, forceFlush: async () => {}, shutdown: async () => {} };
  }

  const exporters: SpanExporter[] = [...config.exporters];
  const targets: string[] = [];
  if (otel.otlp !== undefined) {
    exporters.push(otlpExporter(otel.otlp));
    targets.push(describeOtlp(otel.otlp));
  }
  if (config.spansFile) {
    exporters.push(new FileSpanExporter(config.spansFile, (err) => config.onError(`span file ${config.spansFile}`, err), config.fileRotation));
    targets.push(`the file ${config.spansFile} (OTLP JSON lines)`);
  }
  if (config.exporters.length > 0) targets.push(`${config.exporters.length} exporter${config.exporters.length === 1 ? '' : 's'} from spanExporters`);

  const spanProcessors: SpanProcessor[] = exporters.map((exporter) =>
    createBoundedProcessor(exporter, { onDrop: config.onDrop, onExportError: (err) => config.onError('span export', err) }),
  );
  const resource = resourceFromAttributes({
    ...otel.resourceAttributes,
    'service.name': config.service,
    'service.version': config.version,
    'telemetry.sdk.language': 'nodejs',
  });
  const provider = new TracerProvider({ resource, sampler: samplerOf(otel), spanProcessors });
  periscopeProviders.add(provider);
  return {
    tracer: provider.getTracer(TRACER_NAME),
    destination: destinationOf(targets),
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
