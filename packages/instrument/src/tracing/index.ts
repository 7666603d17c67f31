/**
 * Tracing for one instrumented app, when turned on, in one of three modes (option `tracing`):
 *
 * - `'global'`: Periscope's spans go to the tracer provider the app registered (its NodeSDK):
 *   the app's sampler, processors and exporters. Periscope builds no pipeline and registers nothing
 *   global — except a context manager when none exists, without which no request context works.
 * - `'own'`: Periscope's pipeline (provider.ts), registering globals only where none exist.
 * - `'auto'` (default): `'global'` when the app has registered a tracer provider — at `instrument()`
 *   or later, up to the first request or outbound call — else `'own'`.
 *
 * The decision is made once: the tracer handed to the request path resolves it on first use and
 * then only forwards. One log line says which mode runs. The
 * `periscope_spans_dropped_total{reason}` and `periscope_propagation_dropped_total{header}`
 * counters are registered either way, so dashboards and alerts find the series on every service.
 */
import { trace } from '@opentelemetry/api';
import type { Context, Span, SpanOptions, Tracer } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import type { Registry } from 'prom-client';
import { LABEL, METRIC } from '../core/names.js';
import type { ResolvedOptions } from '../options.js';
import type { Report } from '../core/report.js';
import type { TracingMode } from '../types.js';
import { ensureContextManager, globalTracerProviderRegistered } from './globals.js';
import { PROPAGATION_HEADERS, droppedSoFar } from './propagation/dropped.js';
import { TRACER_NAME, buildOwnPipeline } from './provider.js';
import type { OwnPipeline, TracingConfig } from './provider.js';

export { endServerSpan, startServerSpan } from './server-span.js';

/** Tracing of one app. */
export interface Tracing {
  /** The tracer of Periscope's spans (resolves the mode on its first span). */
  readonly tracer: Tracer;
  /** The mode in use, once resolved. */
  mode(): 'own' | 'global' | undefined;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** The app's registered tracer provider, if it can be flushed. */
function appProvider(): { forceFlush?(): Promise<void> } | undefined {
  const proxy = trace.getTracerProvider() as { getDelegate?(): unknown };
  return (proxy.getDelegate?.() ?? proxy) as { forceFlush?(): Promise<void> } | undefined;
}

/** A tracer that picks its delegate on its first span, then only forwards. */
class ResolvingTracer implements Tracer {
  private delegate: Tracer | undefined;
  constructor(private readonly resolve: () => Tracer) {}

  /** Makes the decision now (when it can already be made at startup). */
  resolveNow(): void {
    this.delegate ??= this.resolve();
  }

  startSpan(name: string, options?: SpanOptions, context?: Context): Span {
    return (this.delegate ??= this.resolve()).startSpan(name, options, context);
  }

  startActiveSpan(...args: unknown[]): unknown {
    const tracer = (this.delegate ??= this.resolve()) as unknown as { startActiveSpan(...a: unknown[]): unknown };
    return tracer.startActiveSpan(...args);
  }
}

/** `own`'s destination is where its exporters send (provider.ts), e.g. `nowhere (…)`. */
function modeLine(mode: 'own' | 'global', requested: TracingMode, registered: readonly string[], own?: OwnPipeline): string {
  const how = own === undefined ? "to the app's OpenTelemetry tracer provider (its sampler, processors and exporters)" : `${own.destination}, through Periscope's own pipeline`;
  const globals = registered.length > 0 ? `registered globally: ${registered.join(', ')}` : 'registered nothing global';
  return `periscope tracing: mode ${mode} (option '${requested}'): spans go ${how}; ${globals}`;
}

/** `periscope_propagation_dropped_total{header}`: the process's tally (propagation/dropped.ts), read at each scrape. */
function registerPropagationDropped(registry: Registry): void {
  new Counter({
    name: METRIC.propagationDropped,
    help: 'Incoming trace context dropped as invalid: a traceparent or tracestate header as a whole, each baggage member on its own.',
    labelNames: [LABEL.header],
    registers: [registry],
    collect() {
      this.reset();
      for (const header of PROPAGATION_HEADERS) this.inc({ [LABEL.header]: header }, droppedSoFar(header));
    },
  });
}

/**
 * Starts tracing when `opts.tracing` is on; `undefined` otherwise. `logger` receives the mode line
 * (and a warning when options that only the own pipeline uses were given in global mode).
 */
export function createTracing(opts: ResolvedOptions, registry: Registry, report: Report, logger?: Logger): Tracing | undefined {
  const spansDropped = new Counter({
    name: METRIC.spansDropped,
    help: 'Finished spans dropped before export: the queue was full or the export failed.',
    labelNames: [LABEL.reason],
    registers: [registry],
  });
  registerPropagationDropped(registry);
  const requested = opts.tracing;
  if (requested === false) return undefined;
  const config: TracingConfig = {
    service: opts.service,
    version: opts.version,
    otel: opts.otel,
    spansFile: opts.spansFile,
    fileRotation: opts.fileRotation,
    exporters: opts.spanExporters,
    onDrop: (count, reason) => spansDropped.inc({ [LABEL.reason]: reason }, count),
    onError: report,
  };
  const log = (level: 'info' | 'warn', msg: string) => {
    try {
      logger?.[level](msg);
    } catch (err) {
      report('tracing setup log', err);
    }
  };

  let mode: 'own' | 'global' | undefined;
  // Built now, while the environment is the one instrument() saw; used (and its globals
  // registered) only if the decision is 'own', else shut down unused.
  let own: OwnPipeline | undefined = requested === 'global' ? undefined : buildOwnPipeline(config);
  const resolve = (): Tracer => {
    if (own !== undefined && (requested === 'own' || !globalTracerProviderRegistered())) {
      mode = 'own';
      log('info', modeLine(mode, requested, own.registerGlobals(), own));
      return own.tracer;
    }
    mode = 'global';
    void own?.shutdown().catch((err: unknown) => report('span export', err));
    own = undefined;
    const registered = ensureContextManager() ? ['context manager (none was registered)'] : [];
    log('info', modeLine(mode, requested, registered));
    if (opts.spansFile !== undefined || opts.spanExporters.length > 0) {
      log('warn', "periscope tracing: spansFile and spanExporters do not apply when spans go to the app's OpenTelemetry SDK; add exporters to the app's SDK instead");
    }
    if (!globalTracerProviderRegistered()) log('warn', 'periscope tracing: mode global, but no tracer provider is registered yet; spans are recorded once the app registers one');
    return trace.getTracer(TRACER_NAME, opts.version);
  };
  const tracer = new ResolvingTracer(resolve);
  // Decide now when that is already possible; 'auto' with no provider yet waits for the first span.
  if (requested === 'own' || (requested === 'auto' && globalTracerProviderRegistered())) tracer.resolveNow();

  return {
    tracer,
    mode: () => mode,
    forceFlush: async () => {
      // In global mode the app's provider is flushed (not shut down: that is the app's to do).
      if (own !== undefined) await own.forceFlush();
      else if (mode === 'global') await appProvider()?.forceFlush?.();
    },
    shutdown: async () => {
      await own?.shutdown();
    },
  };
}
