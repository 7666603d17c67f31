/**
 * What the app has already registered with the OpenTelemetry API, asked through the public API
 * only (so a second copy of the API, or of the SDK, is recognised too), and Periscope's
 * registration of the pieces that are missing.
 */
import { ROOT_CONTEXT, context, createContextKey, propagation, trace } from '@opentelemetry/api';
import type { Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { PROPAGATOR } from './propagation/index.js';

const PROBE = createContextKey('periscope.context-manager-probe');

/** The global provider as the API hands it out: a proxy whose delegate is the app's provider, if any. */
interface ProxyLike {
  getDelegateTracer?(name: string, version?: string): Tracer | undefined;
  getDelegate?(): unknown;
}

/** Tracer providers Periscope created: registered globally by one app, they are not "the app's SDK" to another. */
export const periscopeProviders = new WeakSet<object>();

/**
 * True when the app (its NodeSDK, or `provider.register()`) has set a tracer provider globally
 * (one that Periscope itself registered does not count).
 * The API's `ProxyTracerProvider` has a delegate tracer only then; a provider registered without
 * the proxy (an older or foreign API copy) counts as real unless it is the API's no-op one.
 */
export function globalTracerProviderRegistered(): boolean {
  const provider = trace.getTracerProvider() as ProxyLike;
  if (typeof provider.getDelegateTracer === 'function') {
    if (provider.getDelegateTracer('@periscope/instrument') === undefined) return false;
    const delegate = provider.getDelegate?.() as object | undefined;
    return delegate !== undefined && !periscopeProviders.has(delegate) && delegate.constructor?.name !== 'NoopTracerProvider';
  }
  return !periscopeProviders.has(provider) && (provider as object).constructor?.name !== 'NoopTracerProvider';
}

/** True when a context manager is registered: a value set with `context.with` is visible inside it. */
export function contextManagerRegistered(): boolean {
  return context.with(ROOT_CONTEXT.setValue(PROBE, true), () => context.active().getValue(PROBE) === true);
}

/** True when a propagator other than the API's no-op one is registered. */
export function propagatorRegistered(): boolean {
  return propagation.fields().length > 0;
}

/** Registers an async-hooks context manager when none is; returns whether it did. */
export function ensureContextManager(): boolean {
  if (contextManagerRegistered()) return false;
  return context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
}

/** Registers Periscope's W3C propagator when none is; returns whether it did. */
export function ensurePropagator(): boolean {
  if (propagatorRegistered()) return false;
  return propagation.setGlobalPropagator(PROPAGATOR);
}
