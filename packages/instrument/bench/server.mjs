// One benchmark variant's server, in its own process. VARIANT selects the stack; the port is
// reported over IPC, and RSS and CPU time used (µs) on request. Logs go to LOG_FILE, never to the terminal.
import { randomUUID } from 'node:crypto';

const variant = process.env.VARIANT;
const logFile = process.env.LOG_FILE;
const otlp = process.env.OTLP_URL;

async function otelPeerSdk(ratio) {
  // (f) the peer stack with OpenTelemetry's Node SDK and its HTTP + Express auto-instrumentation.
  const { NodeSDK } = await import('@opentelemetry/sdk-node');
  const { HttpInstrumentation } = await import('@opentelemetry/instrumentation-http');
  const { ExpressInstrumentation } = await import('@opentelemetry/instrumentation-express');
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
  const { BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler } = await import('@opentelemetry/sdk-trace');
  const sdk = new NodeSDK({
    serviceName: 'bench',
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${otlp}/v1/traces` }) })],
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) }),
    instrumentations: [new HttpInstrumentation(), new ExpressInstrumentation()],
    metricReaders: [],
  });
  sdk.start();
}

if (variant === 'f') await otelPeerSdk(1);

const { default: express } = await import('express');
const app = express();
const payload = { id: 42, name: 'Ada Lovelace', roles: ['admin', 'author'], active: true };

if (variant === 'b' || variant === 'd' || variant === 'e' || variant === 'o') {
  if (variant !== 'b') {
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = otlp;
    process.env.OTEL_TRACES_SAMPLER = variant === 'o' ? 'always_off' : 'parentbased_traceidratio';
    if (variant !== 'o') process.env.OTEL_TRACES_SAMPLER_ARG = variant === 'd' ? '1' : '0.1';
  }
  const { instrument } = await import('@periscope/instrument');
  instrument(app, { service: 'bench', stdout: false, logFile, tracing: variant !== 'b' });
} else if (variant === 'm') {
  // (m) the minimum by hand, what (b) is held to: a request ID, one access line through pino to
  // the same kind of file, one prom-client histogram with the contract's labels and buckets.
  const { default: pino } = await import('pino');
  const { Histogram, Registry } = await import('prom-client');
  const logger = pino(pino.destination({ dest: logFile, sync: false }));
  const histogram = new Histogram({
    name: 'http_server_request_duration_seconds',
    help: 'Duration of HTTP server requests.',
    labelNames: ['http_request_method', 'http_route', 'http_response_status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10],
    registers: [new Registry()],
  });
  app.use((req, res, next) => {
    const start = process.hrtime.bigint();
    const id = req.headers['x-request-id'] ?? randomUUID();
    res.setHeader('x-request-id', id);
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const route = req.route ? req.baseUrl + req.route.path : 'unmatched';
      histogram.observe({ http_request_method: req.method, http_route: route, http_response_status_code: res.statusCode }, seconds);
      logger.info({ request_id: id, http: { method: req.method, route, path: req.originalUrl, status_code: res.statusCode }, duration_ms: seconds * 1000 }, 'request completed');
    });
    next();
  });
} else if (variant === 'c' || variant === 'f') {
  // (c) what a user would otherwise assemble: pino-http with request IDs, express-prom-bundle with
  // route normalisation.
  const { default: pinoHttp } = await import('pino-http');
  const { default: pino } = await import('pino');
  const { default: promBundle } = await import('express-prom-bundle');
  app.use(promBundle({ includeMethod: true, includePath: true, normalizePath: [['^/users/[^/]+$', '/users/#id']] }));
  app.use(
    pinoHttp({
      logger: pino(pino.destination({ dest: logFile, sync: false })),
      genReqId: (req, res) => {
        const id = req.headers['x-request-id'] ?? randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
    }),
  );
}

app.get('/users/:id', (req, res) => res.json({ ...payload, id: req.params.id }));

const server = app.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
// Profiling on request (bench/profile.mjs): a CPU profile of a window of the run, a heap snapshot.
let session;
let delay;
async function inspector(method, params) {
  if (session === undefined) {
    const { Session } = await import('node:inspector/promises');
    session = new Session();
    session.connect();
  }
  return session.post(method, params);
}
async function profiling(m) {
  const { writeFileSync, createWriteStream } = await import('node:fs');
  if (m.profile === 'start') {
    await inspector('Profiler.enable');
    await inspector('Profiler.setSamplingInterval', { interval: m.intervalUs ?? 200 });
    await inspector('Profiler.start');
  } else if (m.profile === 'stop') {
    const { profile } = await inspector('Profiler.stop');
    writeFileSync(m.file, JSON.stringify(profile));
  } else if (m.profile === 'delay-start') {
    const { monitorEventLoopDelay } = await import('node:perf_hooks');
    delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
  } else if (m.profile === 'delay-stop') {
    delay.disable();
    const ms = (ns) => ns / 1e6;
    process.send({ profiled: m.profile, delay: { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) } });
    return;
  } else if (m.profile === 'heap') {
    const out = createWriteStream(m.file);
    session ?? (await inspector('HeapProfiler.enable'));
    session.on('HeapProfiler.addHeapSnapshotChunk', ({ params }) => out.write(params.chunk));
    await inspector('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    session.removeAllListeners('HeapProfiler.addHeapSnapshotChunk');
    await new Promise((r) => out.end(r));
  }
  process.send({ profiled: m.profile });
}
process.on('message', (m) => {
  if (typeof m === 'object' && m !== null && 'profile' in m) void profiling(m);
  if (m === 'rss') process.send({ rss: process.memoryUsage().rss });
  if (m === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.send({ cpu: user + system });
  }
});
process.on('disconnect', () => process.exit(0));
