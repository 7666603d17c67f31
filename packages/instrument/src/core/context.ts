/**
 * The async request context: the state of the request being handled, reachable from any code
 * that runs on its behalf (handlers, awaited promises, timers) without passing it around.
 *
 * With tracing on, the state rides in the OpenTelemetry context the request already runs in, so
 * a request pays for one async context, not two; without tracing it has an AsyncLocalStorage.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { context, createContextKey } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import type { RequestState } from '../internal-types.js';

const storage = new AsyncLocalStorage<RequestState>();
const STATE_KEY = createContextKey('periscope.request-state');

/** Runs `fn` with `state` as the current request, inside `traceContext` when tracing is on. */
export function runInRequest<T>(state: RequestState, fn: () => T, traceContext?: Context): T {
  if (traceContext !== undefined) return context.with(traceContext.setValue(STATE_KEY, state), fn);
  return storage.run(state, fn);
}

/** The state of the request being handled, if any. */
export function currentRequest(): RequestState | undefined {
  return storage.getStore() ?? (context.active().getValue(STATE_KEY) as RequestState | undefined);
}

/**
 * The request ID of the request being handled, or `undefined` outside a request.
 * @example res.status(400).json({ error: 'missing field "text"', request_id: currentRequestId() })
 */
export function currentRequestId(): string | undefined {
  return currentRequest()?.id;
}
