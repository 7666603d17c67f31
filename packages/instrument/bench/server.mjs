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

if (variant === 'b' || variant === 'd' || variant === 'e') {
  if (variant === 'd' || variant === 'e') {
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = otlp;
    process.env.OTEL_TRACES_SAMPLER = 'parentbased_traceidratio';
    process.env.OTEL_TRACES_SAMPLER_ARG = variant === 'd' ? '1' : '0.1';
  }
  const { instrument } = await import('@periscope/instrument');
  instrument(app, { service: 'bench', stdout: false, logFile, tracing: variant !== 'b' });
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
process.on('message', (m) => {
  if (m === 'rss') process.send({ rss: process.memoryUsage().rss });
  if (m === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.send({ cpu: user + system });
  }
});
process.on('disconnect', () => process.exit(0));
