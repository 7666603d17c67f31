/**
 * The server span of a request: continues the caller's trace from `traceparent`/`tracestate`
 * (a malformed header starts a new trace), named `METHOD route` once the route is known, with
 * the HTTP semantic-convention attributes.
 *
 * When OpenTelemetry's HTTP instrumentation already started a server span for this request (it
 * runs the request inside that span, with HTTP RPC metadata), Periscope starts none: it reads
 * that span for the request's trace fields and exemplars, and enriches it (`http.route`, the
 * name `METHOD route`, `periscope.request_id`); the instrumentation ends it.
 *
 * Attributes are built only for a span that records: an unsampled request pays for propagation
 * and the span context, nothing more.
 *
 * Times come from the request's own hrtime reading (its start) and one reading at the end, on the
 * clock of clock.ts that client spans share: a call made while handling the request starts after
 * its server span and ends before it.
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import type { Context, Span, TextMapGetter, Tracer } from '@opentelemetry/api';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { errorType } from '../core/error-type.js';
import { traceFieldsOf } from '../logging/fields.js';
import type { RequestState } from '../internal-types.js';
import { SPAN_ATTRIBUTE, UNMATCHED_ROUTE } from '../core/names.js';
import { RPCType, getRPCMetadata } from '@opentelemetry/core';
import type { RPCMetadata } from '@opentelemetry/core';
import { spanTime } from './clock.js';
import { PROPAGATOR } from './propagation/index.js';

/** Server spans of OpenTelemetry's HTTP instrumentation that Periscope joined, with their RPC metadata. */
const joined = new WeakMap<Span, RPCMetadata>();

const headerGetter: TextMapGetter<IncomingHttpHeaders> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key],
};

/** Longest attribute value taken from a request (paths, user agents). */
const MAX_ATTRIBUTE = 1024;
const cut = (s: string) => (s.length > MAX_ATTRIBUTE ? s.slice(0, MAX_ATTRIBUTE) : s);

function hostAndPort(host: string | undefined): { address?: string; port?: number } {
  if (!host) return {};
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(host);
  if (!m) return {};
  return { address: m[1], ...(m[2] ? { port: Number(m[2]) } : {}) };
}

/** The semantic-convention attributes of a server span, known at its start. */
function requestAttributes(req: IncomingMessage, state: RequestState, path: string): Record<string, string | number> {
  const scheme = (req.socket as TLSSocket | undefined)?.encrypted ? 'https' : 'http';
  const { address, port } = hostAndPort(req.headers.host);
  const attributes: Record<string, string | number> = {
    'http.request.method': state.method,
    'url.path': cut(path),
    'url.scheme': scheme,
    [SPAN_ATTRIBUTE.requestId]: state.id,
  };
  if (state.method === '_OTHER' && req.method) attributes['http.request.method_original'] = cut(req.method);
  if (address) attributes['server.address'] = address;
  if (port) attributes['server.port'] = port;
  if (req.socket?.remoteAddress) attributes['client.address'] = req.socket.remoteAddress;
  const ua = req.headers['user-agent'];
  if (ua) attributes['user_agent.original'] = cut(ua);
  attributes['network.protocol.version'] = req.httpVersion;
  return attributes;
}

/** Starts the server span for `req` (or joins the instrumentation's) and returns the context the request runs in. */
export function startServerSpan(tracer: Tracer, req: IncomingMessage, state: RequestState, path: string): { span: Span; context: Context } {
  const active = context.active();
  const rpc = getRPCMetadata(active);
  if (rpc?.type === RPCType.HTTP && rpc.span !== undefined) {
    const span = rpc.span;
    joined.set(span, rpc);
    const sc = span.spanContext();
    if (trace.isSpanContextValid(sc)) state.trace = traceFieldsOf(sc);
    if (span.isRecording()) span.setAttribute(SPAN_ATTRIBUTE.requestId, state.id);
    return { span, context: active };
  }
  const parent = PROPAGATOR.extract(ROOT_CONTEXT, req.headers, headerGetter);
  const span = tracer.startSpan(state.method === '_OTHER' ? 'HTTP' : state.method, { kind: SpanKind.SERVER, startTime: spanTime(state.start) }, parent);
  if (span.isRecording()) span.setAttributes(requestAttributes(req, state, path));
  const sc = span.spanContext();
  if (trace.isSpanContextValid(sc)) state.trace = traceFieldsOf(sc);
  return { span, context: trace.setSpan(parent, span) };
}

/** Names, completes and ends the server span. */
export function endServerSpan(span: Span, state: RequestState, route: string, status: number, aborted: boolean, endReading: bigint): void {
  const method = state.method === '_OTHER' ? 'HTTP' : state.method;
  const rpc = joined.get(span);
  if (rpc !== undefined) {
    // The instrumentation names the span from the RPC route when it ends it (after this runs).
    if (route !== UNMATCHED_ROUTE) {
      rpc.route ??= route;
      if (span.isRecording()) span.setAttribute('http.route', rpc.route).updateName(`${method} ${rpc.route}`);
    }
    return;
  }
  if (!span.isRecording()) {
    span.end();
    return;
  }
  const end = spanTime(endReading);
  if (route !== UNMATCHED_ROUTE) {
    span.updateName(`${method} ${route}`);
    span.setAttribute('http.route', route);
  }
  if (aborted) {
    span.setAttribute('error.type', 'client_closed_request');
  } else {
    span.setAttribute('http.response.status_code', status);
  }
  if (state.error !== undefined) {
    const err = state.error;
    if (err instanceof Error) span.recordException(err, end);
    else span.recordException({ name: typeof err, message: String(err) }, end);
  }
  if (!aborted && status >= 500) {
    const errType = state.error !== undefined ? errorType(state.error) : String(status);
    span.setAttribute('error.type', errType);
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end(end);
}
