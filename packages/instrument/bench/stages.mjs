// npm run bench:stages -w @periscope/instrument: the cost of each stage of the request path, in
// nanoseconds per operation, measured on the built package's own modules (dist/esm) in this
// process — where the budget per request goes. Each stage runs in batches after a warm-up; the
// median batch is reported. `npm run bench` runs this on each Node it benchmarks.
//
// Environment: STAGES_MS (time per batch, default 150), STAGES_ONLY (a regular expression over
// "group name"), STAGES_JSON=1 prints JSON instead of a table.
import { channel } from 'node:diagnostics_channel';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { context, trace } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resolveOptions } from '../dist/esm/options.js';
import { currentRequest, runInRequest } from '../dist/esm/core/context.js';
import { logAccess } from '../dist/esm/http/access-log.js';
import { requestIdFrom } from '../dist/esm/http/request-id.js';
import { joinRoute } from '../dist/esm/http/route-tracking.js';
import { normalizeMethod, pathOf } from '../dist/esm/http/semantics.js';
import { trackOutbound } from '../dist/esm/http/outbound.js';
import { createLogger } from '../dist/esm/logging/logger.js';
import { requestLogFields } from '../dist/esm/logging/fields.js';
import { secretQueryParams } from '../dist/esm/logging/redaction.js';
import { createMetrics } from '../dist/esm/metrics/create.js';
import { buildOwnPipeline } from '../dist/esm/tracing/provider.js';
import { endServerSpan, startServerSpan } from '../dist/esm/tracing/server-span.js';
import { PROPAGATOR } from '../dist/esm/tracing/propagation/index.js';

const batchMs = Number(process.env.STAGES_MS ?? 150);
const BATCHES = 5;

/** ns per call of `fn`, the median of BATCHES batches of about batchMs each. */
function measure(fn) {
  let n = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) fn(i);
    if (performance.now() - t0 > batchMs / 4) break;
    n *= 2;
  }
  n *= 4;
  const per = [];
  for (let b = 0; b < BATCHES; b++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn(i);
    per.push(Number(process.hrtime.bigint() - t0) / n);
  }
  return per.sort((x, y) => x - y)[BATCHES >> 1];
}

/**
 * ns per call of `fn` when the event loop turns every `perTurn` calls, as it does under load
 * (destinations that write asynchronously get their turn): the median of BATCHES batches.
 */
async function measureTurns(fn, perTurn = 50, turns = 2000) {
  const turn = () => new Promise((resolve) => setImmediate(resolve));
  const per = [];
  for (let b = 0; b <= BATCHES; b++) {
    const t0 = process.hrtime.bigint();
    for (let t = 0; t < turns; t++) {
      for (let i = 0; i < perTurn; i++) fn(i);
      await turn();
    }
    if (b > 0) per.push(Number(process.hrtime.bigint() - t0) / (turns * perTurn)); // batch 0 warms up
  }
  return per.sort((x, y) => x - y)[BATCHES >> 1];
}

const dir = mkdtempSync(join(tmpdir(), 'periscope-stages-'));
const noopExporter = { export: (_spans, done) => done({ code: 0 }), shutdown: async () => {}, forceFlush: async () => {} };
const pipeline = (sampler) =>
  buildOwnPipeline({
    service: 'bench',
    version: '1',
    otel: { disabled: false, sampler, samplerRatio: 1, otlp: undefined, resourceAttributes: {} },
    spansFile: undefined,
    exporters: [noopExporter],
    fileRotation: undefined,
    onDrop: () => {},
    onError: () => {},
  });
const sampled = pipeline('always_on');
const unsampled = pipeline('always_off');
sampled.registerGlobals(); // the context manager

const opts = resolveOptions({ service: 'bench', stdout: false });
const nullLogging = createLogger(opts, [{ write() {} }]);
const fileLogging = createLogger(resolveOptions({ service: 'bench', stdout: false, logFile: join(dir, 'app.log') }));
const metrics = createMetrics(opts);
const secret = secretQueryParams([]);

const newState = (trace) => ({ id: 'b0e9c6f2-3b6f-4e3c-9d52-0c1f1c8f6a11', start: process.hrtime.bigint(), method: 'GET', route: undefined, mounts: [], error: undefined, trace, outbound: undefined, ended: false, end: undefined });
const fakeReq = (headers = {}) => ({
  method: 'GET',
  url: '/users/42',
  originalUrl: '/users/42',
  httpVersion: '1.1',
  headers: { host: '127.0.0.1:3000', 'user-agent': 'wrk', ...headers },
  socket: { remoteAddress: '127.0.0.1', encrypted: false },
});
const req = fakeReq();
const TRACEPARENT_SAMPLED = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const tracedFields = { trace_id: '0af7651916cd43dd8448eb211c80319c', span_id: 'b7ad6b7169203331', trace_flags: '01' };
const outcome = { route: '/users/:id', status: 200, seconds: 0.000734, aborted: false };
const exemplar = { trace_id: tracedFields.trace_id, span_id: tracedFields.span_id };
const state = newState(undefined);

const stages = [];
const only = process.env.STAGES_ONLY ? new RegExp(process.env.STAGES_ONLY, 'i') : undefined;
const wanted = (group, name) => !only || only.test(`${group} ${name}`);
const stage = (group, name, fn) => wanted(group, name) && stages.push({ group, name, ns: measure(fn) });

stage('request ID', 'caller\'s valid X-Request-ID reused', () => requestIdFrom('req-7f3a9c'));
stage('request ID', 'new ID (UUID v4)', () => requestIdFrom(undefined));
stage('request setup', 'path, method, state object', () => (pathOf(req.url), normalizeMethod(req.method), newState(undefined)));
stage('request context', 'run in AsyncLocalStorage (no tracing)', () => runInRequest(state, currentRequest));
const traceCtx = trace.setSpan(context.active(), trace.wrapSpanContext({ traceId: tracedFields.trace_id, spanId: tracedFields.span_id, traceFlags: 1 }));
stage('request context', 'run in the OTel context (tracing)', () => runInRequest(state, currentRequest, traceCtx));
stage('request context', 'log fields (mixin) inside a request', () => runInRequest(state, requestLogFields));
stage('route template', 'join mounts and route (/api + /users/:id)', () => joinRoute(['/api'], '/users/:id'));
stage('access line', 'serialize, discarding sink', () => logAccess(nullLogging.accessLogger, state, req, outcome, secret));
stage('access line', 'serialize + traced fields, discarding sink', () => logAccess(nullLogging.accessLogger, newState(tracedFields), req, outcome, secret));
if (wanted('access line', 'serialize + write to a log file')) {
  const ns = await measureTurns(() => logAccess(fileLogging.accessLogger, state, req, outcome, secret));
  stages.push({ group: 'access line', name: 'serialize + write to a log file (50 lines a turn)', ns });
}
stage('app log line', 'logger.info(msg) inside a request, discarding sink', () => runInRequest(state, () => nullLogging.logger.info('looking up')));
stage('RED metrics', 'duration histogram observation', () => metrics.red.recordServer('GET', '/users/:id', 200, 0.0012));
stage('RED metrics', 'observation + exemplar', () => metrics.red.recordServer('GET', '/users/:id', 200, 0.0012, exemplar));
stage('RED metrics', 'in-flight gauge +1 / -1', () => (metrics.red.active('GET', 1), metrics.red.active('GET', -1)));

const serverSpan = (tracer, headers) => () => {
  const s = newState(undefined);
  const { span } = startServerSpan(tracer, fakeReq(headers), s, '/users/42');
  endServerSpan(span, s, '/users/:id', 200, false, process.hrtime.bigint());
};
stage('server span', 'start + end, sampled (new trace)', serverSpan(sampled.tracer, {}));
stage('server span', 'start + end, sampled (caller\'s traceparent)', serverSpan(sampled.tracer, { traceparent: TRACEPARENT_SAMPLED }));
stage('server span', 'start + end, unsampled (new trace)', serverSpan(unsampled.tracer, {}));
// Export: serializing a batch of finished server spans, per span (the OTLP exporters' own serializers).
const finished = [];
const collector = buildOwnPipeline({
  service: 'bench',
  version: '1',
  otel: { disabled: false, sampler: 'always_on', samplerRatio: 1, otlp: undefined, resourceAttributes: {} },
  spansFile: undefined,
  exporters: [{ export: (spans, done) => (finished.push(...spans), done({ code: 0 })), shutdown: async () => {} }],
  onDrop: () => {},
  onError: () => {},
});
for (let i = 0; i < 128; i++) serverSpan(collector.tracer, {})();
await collector.forceFlush();
for (const [encoding, serializer] of [['OTLP JSON', JsonTraceSerializer], ['OTLP protobuf', ProtobufTraceSerializer]]) {
  stage('export', `serialize a batch of 128 server spans, ${encoding}, per span`, () => serializer.serializeRequest(finished) && undefined);
  const last = stages.at(-1);
  if (last?.group === 'export') last.ns /= finished.length;
}
await collector.shutdown();

const carrierGetter = { keys: (c) => Object.keys(c), get: (c, k) => c[k] };
const carrierSetter = { set: (c, k, v) => (c[k] = v) };
stage('propagation', 'extract traceparent + baggage', () => PROPAGATOR.extract(context.active(), { traceparent: TRACEPARENT_SAMPLED, baggage: 'a=1,b=2' }, carrierGetter));
stage('propagation', 'inject into a header carrier', () => PROPAGATOR.inject(traceCtx, {}, carrierSetter));

const outbound = (tracer) => {
  // Subscribed only while measured: the other stages make no outbound calls anyway.
  const stop = trackOutbound({ tracer, recordClient: metrics.red.recordClient, report: () => {} });
  const create = channel('undici:request:create');
  const trailers = channel('undici:request:trailers');
  const ns = measure(() => {
    const headers = [];
    const request = { origin: 'http://127.0.0.1:8080', method: 'GET', path: '/items', headers, addHeader: (n, v) => headers.push(n, v) };
    runInRequest(state, () => create.publish({ request }), traceCtx);
    trailers.publish({ request, trailers: [] });
  });
  stop();
  return ns;
};
for (const [which, tracer] of [['sampled', sampled.tracer], ['unsampled', unsampled.tracer]]) {
  const name = `fetch: span, headers, client metric (${which})`;
  if (wanted('outbound call', name)) stages.push({ group: 'outbound call', name, ns: outbound(tracer) });
}

await Promise.all([sampled.shutdown(), unsampled.shutdown(), fileLogging.flush()]);
rmSync(dir, { recursive: true, force: true });

if (process.env.STAGES_JSON === '1') {
  console.log(JSON.stringify({ node: process.version, stages }));
} else {
  console.log(`\nStages of the request path, Node ${process.version} (median of ${BATCHES} batches)\n`);
  console.log('| stage | what | µs per op |\n|---|---|---:|');
  for (const s of stages) console.log(`| ${s.group} | ${s.name} | ${(s.ns / 1000).toFixed(2)} |`);
}
