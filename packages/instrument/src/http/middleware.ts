/**
 * The request path: wraps `app.handle` so that each request is set up (request ID, async
 * context, in-flight count, server span) before the app's first middleware, and recorded (RED
 * metrics, access line, span end) when it ends — whatever order the app adds its middleware in.
 * Health and `/metrics` are answered before any of that: neither is logged nor counted in RED.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Span } from '@opentelemetry/api';
import { runInRequest } from '../core/context.js';
import { HEADER, UNMATCHED_ROUTE } from '../core/names.js';
import type { Report } from '../core/report.js';
import { isSampled } from '../core/trace-flags.js';
import type { Health } from '../health/health.js';
import type { RequestState } from '../internal-types.js';
import type { MetricsEndpoint } from '../metrics/endpoint.js';
import type { RedMetrics } from '../metrics/red.js';
import { endServerSpan, startServerSpan } from '../tracing/server-span.js';
import type { Tracing } from '../tracing/index.js';
import { logAccess } from './access-log.js';
import type { ExpressLike, Handle } from './express-app.js';
import { finalHandler } from './final-handler.js';
import { requestIdFrom } from './request-id.js';
import { REQUEST_STATE, joinRoute } from './route-tracking.js';
import { CLIENT_CLOSED_STATUS, normalizeMethod, pathOf } from './semantics.js';

/** What the request path records into. */
export interface RequestHandling {
  readonly red: RedMetrics;
  readonly accessLogger: Logger;
  /** Query parameters whose values are masked in the logged path (lower case). */
  readonly secretParams: ReadonlySet<string>;
  /** Captures a handler error and returns it in the log line's `err` shape. */
  readonly describeError: (err: unknown) => unknown;
  readonly health: Pick<Health, 'handle'>;
  readonly metrics: Pick<MetricsEndpoint, 'handle'>;
  readonly tracing: Tracing | undefined;
  /** The app's outbound-call recorder, carried on the request state (see http/outbound.ts). */
  readonly outbound: unknown;
  readonly report: Report;
}

/** The response's own `end`, kept while {@link endResponse} stands in for it. */
const RESPONSE_END = Symbol('periscope.response.end');
type TimedResponse = ServerResponse & { [RESPONSE_END]: ServerResponse['end'] };

/**
 * Stands in for `res.end` (one function for every response, so no closure per request): notes when
 * the app ended its response, then ends it.
 */
function endResponse(this: TimedResponse, ...args: unknown[]): ServerResponse {
  const state = (this.req as unknown as Record<symbol, RequestState | undefined> | undefined)?.[REQUEST_STATE];
  if (state !== undefined && state.end === undefined) state.end = process.hrtime.bigint();
  return (this[RESPONSE_END] as (...a: unknown[]) => ServerResponse).apply(this, args);
}

/** Records a request that ended, once: RED metrics, the access line and the end of its span. */
function recorder(h: RequestHandling) {
  return (state: RequestState, req: IncomingMessage, res: ServerResponse, aborted: boolean, span: Span | undefined): void => {
    if (state.ended) return;
    state.ended = true;
    try {
      const end = state.end ?? process.hrtime.bigint();
      const seconds = Number(end - state.start) / 1e9;
      const status = aborted ? CLIENT_CLOSED_STATUS : res.statusCode;
      const route = state.route ?? (state.mounts.length > 0 ? joinRoute(state.mounts, '') : UNMATCHED_ROUTE);
      const sc = span?.spanContext();
      const exemplar = sc !== undefined && state.trace !== undefined && isSampled(sc) ? { trace_id: sc.traceId, span_id: sc.spanId } : undefined;
      h.red.active(state.method, -1);
      h.red.recordServer(state.method, route, status, seconds, exemplar);
      logAccess(h.accessLogger, state, req, { route, status, seconds, aborted }, h.secretParams, h.describeError);
      if (span !== undefined) endServerSpan(span, state, route, status, aborted, end);
    } catch (err) {
      h.report('request recording', err);
    }
  };
}

/** Replaces `app.handle` with Periscope's request path. */
export function installRequestHandling(app: ExpressLike, h: RequestHandling): void {
  const originalHandle = app.handle;
  const record = recorder(h);
  const handle: Handle = function periscopeHandle(this: unknown, req, res, callback) {
    const path = pathOf(req.url);
    if (h.health.handle(req, res, path) || h.metrics.handle(req, res, path)) return undefined;
    let state: RequestState;
    let traced: ReturnType<typeof startServerSpan> | undefined;
    try {
      state = {
        id: requestIdFrom(req.headers[HEADER.requestId]),
        start: process.hrtime.bigint(),
        method: normalizeMethod(req.method),
        route: undefined,
        mounts: [],
        error: undefined,
        trace: undefined,
        outbound: h.outbound,
        ended: false,
        end: undefined,
      };
      (req as unknown as Record<symbol, RequestState>)[REQUEST_STATE] = state;
      const locals = ((res as ServerResponse & { locals?: Record<string, unknown> }).locals ??= Object.create(null) as Record<string, unknown>);
      locals.requestId = state.id;
      res.setHeader(HEADER.requestId, state.id);
      if (h.tracing !== undefined) traced = startServerSpan(h.tracing.tracer, req, state, path);
      const span = traced?.span;
      h.red.active(state.method, 1);
      // The request ends when the app ends its response; it is recorded at 'close', which follows
      // 'finish' for a complete response and comes alone for an abandoned one. Prepended, so a
      // joined OpenTelemetry server span is named before its instrumentation ends it.
      (res as TimedResponse)[RESPONSE_END] = res.end;
      res.end = endResponse as ServerResponse['end'];
      res.prependListener('close', () => record(state, req, res, !res.writableFinished, span));
    } catch (err) {
      h.report('request setup', err);
      return originalHandle.call(this, req, res, callback);
    }
    const handleRequest = () => originalHandle.call(this, req, res, callback ?? finalHandler(state, req, res));
    return runInRequest(state, handleRequest, traced?.context);
  };
  app.handle = handle;
}
