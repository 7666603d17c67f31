/**
 * Route templates and handler errors, learned from Express's own router, on Express 4 and 5.
 *
 * The shared Router prototype (one per copy of Express) is patched once:
 * - `route(path)`: the layer of each route records, when the route is dispatched, the template
 *   of the route joined to the patterns of the routers it is mounted under (`/api` +
 *   `/users/:id` → `/api/users/:id`);
 * - `use(path, ...fns)`: each middleware keeps its mount pattern on the request while the
 *   request is inside it, and errors it throws, rejects with or passes to `next` are recorded.
 * Both act only on requests Periscope is tracking, so apps that are not instrumented are unaffected.
 */
import type { RequestState } from '../internal-types.js';

/** Symbol under which a tracked request carries its state. */
export const REQUEST_STATE = Symbol.for('periscope.request-state');

type Next = (err?: unknown) => void;
type Handle = (req: unknown, res: unknown, next: Next) => unknown;
interface Layer {
  handle: Handle;
  route?: { path: unknown; stack?: Layer[] };
  /** Express 4's layers have `handle_request`; Express 5's have `handleRequest`. */
  handle_request?: unknown;
}
interface RouterProto {
  route(this: { stack: Layer[] }, path: unknown): unknown;
  use(this: { stack: Layer[] }, ...args: unknown[]): unknown;
}

const PATCHED = Symbol.for('periscope.router-patched');

function stateOf(req: unknown): RequestState | undefined {
  return (req as Record<symbol, RequestState | undefined>)[REQUEST_STATE];
}

/** A path pattern as text: strings as written, arrays joined, regular expressions as source. */
export function patternText(path: unknown): string {
  if (typeof path === 'string') return path;
  if (Array.isArray(path)) return path.map(patternText).join(',');
  return String(path);
}

/** Joins mount patterns and a route template into one template. */
export function joinRoute(mounts: readonly string[], route: string): string {
  let out = '';
  for (const m of mounts) out += m === '/' ? '' : m.endsWith('/') ? m.slice(0, -1) : m;
  if (route !== '/' || out === '') out += route;
  return out || '/';
}

/** Records `err` as the request's error unless one is recorded already (the first is the cause). */
export function recordError(state: RequestState, err: unknown): void {
  if (state.error === undefined && err !== undefined && err !== null) state.error = err;
}

/** True for the values of `next(x)` that Express treats as control flow, not as errors. */
function isControlFlow(err: unknown): boolean {
  return err === undefined || err === null || err === 'route' || err === 'router';
}

/**
 * Records the rejection of a handler's promise. Express 5 passes rejections to `next` itself;
 * Express 4 drops them (the request would hang), so there `forward` passes them on.
 */
function observeResult(state: RequestState, result: unknown, forward: Next | undefined): void {
  if (result !== null && typeof result === 'object' && typeof (result as PromiseLike<unknown>).then === 'function') {
    (result as PromiseLike<unknown>).then(undefined, (err: unknown) => {
      recordError(state, err);
      forward?.(err ?? new Error('Rejected promise'));
    });
  }
}

const WRAPPED = Symbol.for('periscope.handler-wrapped');

/** Wraps a route's handlers (once each) so their errors and rejections are recorded. */
function wrapRouteHandlers(layers: Layer[]): void {
  for (const layer of layers) {
    const fn = layer.handle as Handle & { [WRAPPED]?: boolean };
    if (typeof fn !== 'function' || fn[WRAPPED] || fn.length > 3) continue;
    layer.handle = wrapMiddleware(fn, undefined, typeof layer.handle_request === 'function');
  }
}

function wrapRouteLayer(layer: Layer, template: string): void {
  const handle = layer.handle;
  const route = layer.route;
  let wrappedCount = 0;
  layer.handle = function periscopeRoute(this: unknown, req, res, next) {
    if (route?.stack && route.stack.length !== wrappedCount) {
      wrapRouteHandlers(route.stack);
      wrappedCount = route.stack.length;
    }
    const state = stateOf(req);
    if (state === undefined) return handle.call(this, req, res, next);
    state.route = joinRoute(state.mounts, template);
    const mountsHere = state.mounts.length;
    return handle.call(this, req, res, (err?: unknown) => {
      if (isControlFlow(err)) {
        // The route passed the request on: it is not the one that handled it.
        if (state.route !== undefined && state.mounts.length >= mountsHere) state.route = undefined;
      } else {
        recordError(state, err);
      }
      next(err);
    });
  };
}

function wrapMiddleware(fn: Handle, mount: string | undefined, forwardRejections: boolean): Handle {
  const wrapped = function periscopeMiddleware(this: unknown, req: unknown, res: unknown, next: Next): unknown {
    const state = stateOf(req);
    if (state === undefined) return fn.call(this, req, res, next);
    const depth = state.mounts.length;
    if (mount !== undefined) state.mounts.push(mount);
    const leave = () => {
      if (state.mounts.length > depth) state.mounts.length = depth;
    };
    let passedOn = false;
    const onNext = (err?: unknown) => {
      if (passedOn) return;
      passedOn = true;
      leave();
      if (!isControlFlow(err)) recordError(state, err);
      next(err);
    };
    try {
      const result = fn.call(this, req, res, onNext);
      observeResult(state, result, forwardRejections ? onNext : undefined);
      return result;
    } catch (err) {
      leave();
      recordError(state, err);
      throw err;
    }
  };
  // Keep what tools read off a mounted router (`stack`, `params`, ...) reachable.
  Object.setPrototypeOf(wrapped, fn);
  Object.defineProperty(wrapped, WRAPPED, { value: true });
  return wrapped;
}

/** Mirrors Express's argument handling of `use([path], ...fns)`: the path, or undefined for `/`. */
function mountPathOf(args: unknown[]): string | undefined {
  let first = args[0];
  while (Array.isArray(first) && first.length > 0) first = first[0];
  if (typeof first === 'function' || args.length === 0) return undefined;
  const text = patternText(args[0]);
  return text === '/' || text === '' ? undefined : text;
}

function patchPrototype(proto: RouterProto & { [PATCHED]?: boolean }): void {
  if (proto[PATCHED]) return;
  const originalRoute = proto.route;
  const originalUse = proto.use;
  proto.route = function route(path) {
    const result = originalRoute.call(this, path);
    const layer = this.stack[this.stack.length - 1];
    if (layer && layer.route === result) wrapRouteLayer(layer, patternText(path));
    return result;
  };
  proto.use = function use(...args) {
    const before = this.stack.length;
    const result = originalUse.apply(this, args);
    const mount = mountPathOf(args);
    for (const layer of this.stack.slice(before)) {
      // Error handlers (four parameters) are found by their arity: leave them as they are.
      if (typeof layer.handle === 'function' && layer.handle.length <= 3) {
        layer.handle = wrapMiddleware(layer.handle, mount, typeof layer.handle_request === 'function');
      }
    }
    return result;
  };
  Object.defineProperty(proto, PATCHED, { value: true });
}

/** Finds the object that defines `route` and `use` for `router` (the shared prototype). */
function routerPrototype(router: object): RouterProto | undefined {
  let p: object | null = router;
  while (p !== null) {
    if (Object.prototype.hasOwnProperty.call(p, 'route') && Object.prototype.hasOwnProperty.call(p, 'use')) return p as RouterProto;
    p = Object.getPrototypeOf(p);
  }
  return undefined;
}

/** The app's router (Express 4 `_router` after `lazyrouter()`, Express 5 `router`). */
function appRouter(app: Record<string, unknown>): object | undefined {
  if (typeof app.lazyrouter === 'function') {
    (app.lazyrouter as () => void).call(app);
    return app._router as object | undefined;
  }
  return app.router as object | undefined;
}

/**
 * Installs route and error tracking for `app`'s copy of Express.
 * @returns false when the app's router could not be found (route labels then fall back).
 */
export function installRouteTracking(app: Record<string, unknown>): boolean {
  const router = appRouter(app);
  const proto = router ? routerPrototype(router) : undefined;
  if (!proto) return false;
  patchPrototype(proto);
  return true;
}
