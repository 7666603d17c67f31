/**
 * Outbound calls: every `fetch` (undici) and `http.request`/`https.request` the service makes
 * gets a client span, the contract's client duration metric, and — when the host is one of the
 * app's `tracePropagationTargets` (outbound-targets.ts; by default internal hosts only) — the
 * W3C `traceparent`, `tracestate` and `baggage` headers and, while a request is being handled,
 * its `X-Request-ID`. It listens on Node's diagnostics channels; nothing is monkey-patched.
 *
 * A call that already carries a `traceparent` when it is created is traced by someone else —
 * OpenTelemetry's HTTP instrumentation (which starts its client span and injects before Node
 * announces the request), or the app itself: Periscope then starts no span and injects nothing
 * but `X-Request-ID`, and still records the client metric, its exemplar taken from that header.
 *
 * A client span starts and ends at the same hrtime readings as the call's duration metric, on the
 * clock the server span uses (tracing/clock.ts), so it lies inside the request's server span.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import type { Span, Tracer } from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import { currentRequest } from '../core/context.js';
import { isSampled } from '../core/trace-flags.js';
import { normalizeMethod } from './semantics.js';
import { HEADER } from '../core/names.js';
import type { ExemplarLabels } from '../metrics/red.js';
import { PropagationTargets, isInternalHost } from './outbound-targets.js';
import type { HostMatcher } from './outbound-targets.js';
import { spanTime } from '../tracing/clock.js';
import { PROPAGATOR, TRACEPARENT, parseTraceparent } from '../tracing/propagation/index.js';

/** What an instrumented app contributes to outbound tracking. */
export interface OutboundRecorder {
  readonly tracer: Tracer;
  recordClient(method: string, serverAddress: string, status: number | undefined, seconds: number, exemplar?: ExemplarLabels): void;
  report(kind: string, err: unknown): void;
  /** Hosts that get the request's context (option `tracePropagationTargets`); default: internal hosts. */
  readonly propagateTo?: HostMatcher;
}

interface Call {
  /** Periscope's client span; absent when another tracer traces the call. */
  span: Span | undefined;
  /** The exemplar of a call traced by another tracer (from its traceparent), when sampled. */
  exemplar?: ExemplarLabels;
  start: bigint;
  method: string;
  address: string;
  recorder: OutboundRecorder;
  status?: number;
  ended: boolean;
}

const recorders: OutboundRecorder[] = [];
const calls = new WeakMap<object, Call>();
/** Each app's decisions on which hosts get its context. */
const targets = new WeakMap<OutboundRecorder, PropagationTargets>();

/** The recorder for the current code: the handling request's app, else the newest app. */
function recorderNow(): OutboundRecorder | undefined {
  const state = currentRequest();
  return (state?.outbound as OutboundRecorder | undefined) ?? recorders[recorders.length - 1];
}

function begin(key: object, method: string, address: string, url: string, addHeader: (name: string, value: string) => void, hasHeader: (name: string) => boolean, traceparent: () => string | undefined): void {
  const ctx = context.active();
  if (isTracingSuppressed(ctx)) return;
  const recorder = recorderNow();
  if (!recorder) return;
  try {
    const m = normalizeMethod(method);
    const state = currentRequest();
    const start = process.hrtime.bigint();
    const propagate = targets.get(recorder)?.allows(address) === true;
    const existing = hasHeader(TRACEPARENT) ? traceparent() : undefined;
    if (existing !== undefined) {
      if (state && propagate && !hasHeader(HEADER.requestId)) addHeader(HEADER.requestId, state.id);
      const tp = parseTraceparent(existing);
      const exemplar = tp && isSampled(tp) ? { trace_id: tp.traceId, span_id: tp.parentId } : undefined;
      calls.set(key, { span: undefined, exemplar, start, method: m, address, recorder, ended: false });
      return;
    }
    const span = recorder.tracer.startSpan(m === '_OTHER' ? 'HTTP' : m, { kind: SpanKind.CLIENT, startTime: spanTime(start) }, ctx);
    if (span.isRecording()) {
      const [host, port] = splitHost(address);
      const attributes: Record<string, string | number> = { 'http.request.method': m, 'server.address': host, 'url.full': stripQuery(url) };
      if (port) attributes['server.port'] = port;
      span.setAttributes(attributes);
    }
    if (propagate) {
      const carrier: Record<string, string> = {};
      PROPAGATOR.inject(trace.setSpan(ctx, span), carrier, { set: (c, k, v) => (c[k] = v) });
      if (state) carrier[HEADER.requestId] = state.id;
      for (const [name, value] of Object.entries(carrier)) if (!hasHeader(name)) addHeader(name, value);
    }
    calls.set(key, { span, start, method: m, address, recorder, ended: false });
  } catch (err) {
    recorder.report('outbound call tracking', err);
  }
}

function finish(key: object, status: number | undefined, error: unknown): void {
  const call = calls.get(key);
  if (!call || call.ended) return;
  call.ended = true;
  calls.delete(key);
  try {
    const now = process.hrtime.bigint();
    const seconds = Number(now - call.start) / 1e9;
    const code = status ?? call.status;
    const sc = call.span?.spanContext();
    const exemplar = sc === undefined ? call.exemplar : isSampled(sc) ? { trace_id: sc.traceId, span_id: sc.spanId } : undefined;
    call.recorder.recordClient(call.method, call.address, code, seconds, exemplar);
    if (call.span === undefined || !call.span.isRecording()) {
      call.span?.end();
      return;
    }
    const end = spanTime(now);
    if (code !== undefined) call.span.setAttribute('http.response.status_code', code);
    if (error !== undefined) {
      call.span.recordException(error instanceof Error ? error : { name: 'Error', message: String(error) }, end);
      call.span.setAttribute('error.type', error instanceof Error ? error.constructor?.name || error.name : 'Error');
      call.span.setStatus({ code: SpanStatusCode.ERROR });
    } else if (code !== undefined && code >= 400) {
      call.span.setAttribute('error.type', String(code));
      call.span.setStatus({ code: SpanStatusCode.ERROR });
    }
    call.span.end(end);
  } catch (err) {
    call.recorder.report('outbound call tracking', err);
  }
}

function splitHost(address: string): [string, number | undefined] {
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(address);
  return m ? [m[1]!, m[2] ? Number(m[2]) : undefined] : [address, undefined];
}

function stripQuery(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

// --- undici (global fetch) -------------------------------------------------------------------

interface UndiciRequest {
  origin: string | URL;
  method: string;
  path: string;
  headers: string[] | string;
  addHeader(name: string, value: string): unknown;
}

/** The first value of header `name` on an undici request (headers as a flat array or raw lines). */
function undiciHeader(req: UndiciRequest, name: string): string | undefined {
  const h = req.headers;
  if (Array.isArray(h)) {
    for (let i = 0; i < h.length; i += 2) if (String(h[i]).toLowerCase() === name) return String(h[i + 1]);
    return undefined;
  }
  if (typeof h !== 'string') return undefined;
  for (const line of h.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === name) return line.slice(colon + 1).trim();
  }
  return undefined;
}

const onUndiciCreate = (message: unknown) => {
  const { request } = message as { request: UndiciRequest };
  let host = '';
  try {
    host = new URL(String(request.origin)).host;
  } catch {
    host = String(request.origin);
  }
  begin(
    request,
    request.method,
    host,
    `${String(request.origin)}${request.path}`,
    (n, v) => request.addHeader(n, v),
    (n) => undiciHeader(request, n) !== undefined,
    () => undiciHeader(request, TRACEPARENT),
  );
};
const onUndiciHeaders = (message: unknown) => {
  const { request, response } = message as { request: object; response: { statusCode: number } };
  const call = calls.get(request);
  if (call) call.status = response.statusCode;
};
const onUndiciTrailers = (message: unknown) => finish((message as { request: object }).request, undefined, undefined);
const onUndiciError = (message: unknown) => {
  const { request, error } = message as { request: object; error: unknown };
  finish(request, undefined, error);
};

// --- node:http / node:https ------------------------------------------------------------------

/**
 * `http.client.request.created` comes while headers can still be set (Node 22.x and 24); where
 * only `http.client.request.start` exists the headers are already out, so the call is measured
 * and traced but nothing can be injected.
 */
const onHttpStart = (message: unknown) => {
  const { request } = message as { request: ClientRequest };
  if (calls.has(request)) return;
  const canInject = !request.headersSent;
  const host = String(request.getHeader('host') ?? request.host ?? '');
  const protocol = request.protocol || 'http:';
  begin(
    request,
    request.method,
    host,
    `${protocol}//${host}${request.path}`,
    (n, v) => {
      if (canInject) request.setHeader(n, v);
    },
    (n) => !canInject || request.hasHeader(n),
    () => {
      const v = request.getHeader(TRACEPARENT);
      return v === undefined ? undefined : String(v);
    },
  );
  if (calls.has(request)) {
    request.once('close', () => finish(request, undefined, calls.get(request)?.status === undefined ? new Error('request closed before a response') : undefined));
  }
};
const onHttpResponse = (message: unknown) => {
  const { request, response } = message as { request: ClientRequest; response: IncomingMessage };
  const call = calls.get(request);
  if (!call) return;
  call.status = response.statusCode;
  response.once('end', () => finish(request, response.statusCode, undefined));
  response.once('close', () => finish(request, response.statusCode, undefined));
};
const onHttpError = (message: unknown) => {
  const { request, error } = message as { request: ClientRequest; error: unknown };
  finish(request, undefined, error);
};

const SUBSCRIPTIONS: [string, (message: unknown, name: string | symbol) => void][] = [
  ['undici:request:create', onUndiciCreate],
  ['undici:request:headers', onUndiciHeaders],
  ['undici:request:trailers', onUndiciTrailers],
  ['undici:request:error', onUndiciError],
  ['http.client.request.created', onHttpStart],
  ['http.client.request.start', onHttpStart],
  ['http.client.response.finish', onHttpResponse],
  ['http.client.request.error', onHttpError],
];

/** Starts tracking outbound calls for an app; returns the function that stops it. */
export function trackOutbound(recorder: OutboundRecorder): () => void {
  if (recorders.length === 0) for (const [name, fn] of SUBSCRIPTIONS) subscribe(name, fn);
  targets.set(recorder, new PropagationTargets(recorder.propagateTo ?? isInternalHost, recorder.report));
  recorders.push(recorder);
  return () => {
    const i = recorders.indexOf(recorder);
    if (i === -1) return;
    recorders.splice(i, 1);
    if (recorders.length === 0) for (const [name, fn] of SUBSCRIPTIONS) unsubscribe(name, fn);
  };
}
