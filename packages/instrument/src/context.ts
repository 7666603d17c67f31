/**
 * The async request context: the state of the request being handled, reachable from any code
 * that runs on its behalf (handlers, awaited promises, timers) without passing it around.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestState } from './internal-types.js';

const storage = new AsyncLocalStorage<RequestState>();

/** Runs `fn` with `state` as the current request. */
export function runInRequest<T>(state: RequestState, fn: () => T): T {
  return storage.run(state, fn);
}

/** The state of the request being handled, if any. */
export function currentRequest(): RequestState | undefined {
  return storage.getStore();
}

/**
 * The request ID of the request being handled, or `undefined` outside a request.
 * @example res.status(400).json({ error: 'missing field "text"', request_id: currentRequestId() })
 */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.id;
}
