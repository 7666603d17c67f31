/**
 * `instrument(app, options)`: the one call that makes an Express app observable.
 *
 * It wraps `app.handle`, the entry point every request goes through on Express 4 and 5, so that
 * each request is set up (request ID, async context, in-flight count) before the app's first
 * middleware and recorded (RED metrics, access line) when it ends, whatever the order in which
 * the app adds its middleware and routes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import { Counter, Registry } from 'prom-client';
import type { Span } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { logAccess } from './http/access-log.js';
import { runInRequest } from './core/context.js';
import { appTypeError } from './core/errors.js';
import { finalHandler } from './http/final-handler.js';
import { createHealth } from './health/health.js';
import { CLIENT_CLOSED_STATUS, normalizeMethod, pathOf } from './http/semantics.js';
import type { RequestState } from './internal-types.js';
import { createLogger } from './logging/logger.js';
import { serveMetrics, startMetricsServer } from './metrics/endpoint.js';
import type { MetricsServer } from './metrics/endpoint.js';
import { HEADER, LABEL, METRIC, METRICS_PATH, UNMATCHED_ROUTE } from './core/names.js';
import { trackOutbound } from './http/outbound.js';
import type { OutboundRecorder } from './http/outbound.js';
import { startTracing } from './tracing/provider.js';
import { createSyslogShipper } from './logging/syslog/index.js';
import { AUDIT_WRITE_FAILED, createAuditWriter } from './audit/writer.js';
import { installProcessHandlers } from './exceptions/process-handlers.js';
import { createExceptionTracker, fingerprintedError } from './exceptions/tracker.js';
import type { ExceptionTracker } from './exceptions/tracker.js';
import { redactPaths } from './logging/redaction.js';
import type { SyslogShipper } from './logging/syslog/index.js';
import type { Tracing } from './tracing/provider.js';
import { endServerSpan, startServerSpan } from './tracing/server-span.js';
import { resolveOptions } from './core/options.js';
import { createRedMetrics } from './metrics/red.js';
import type { RedMetrics } from './metrics/red.js';
import { SECRET_QUERY_PARAMS } from './logging/redaction.js';
import { requestIdFrom } from './http/request-id.js';
import { createResourceRegistry } from './metrics/resources.js';
import { REQUEST_STATE, installRouteTracking, joinRoute } from './http/route-tracking.js';
import { registerBuildInfo, registerDefaultMetrics, registerEventLoopUtilization } from './metrics/runtime.js';
import type { InstrumentOptions, Telemetry } from './types.js';

type Callback = (err?: unknown) => void;
type Handle = (req: IncomingMessage, res: ServerResponse, callback?: Callback) => unknown;
interface ExpressLike {
  handle: Handle;
  use: unknown;
  set: unknown;
  [key: string | symbol]: unknown;
}

const INSTRUMENTED = Symbol.for('periscope.instrumented');

function isExpressApp(app: unknown): app is ExpressLike {
  if (typeof app !== 'function') return false;
  const a = app as unknown as Record<string, unknown>;
  return typeof a.handle === 'function' && typeof a.use === 'function' && typeof a.set === 'function';
}

/** Reports a telemetry failure once per kind, so a broken exporter cannot flood the logs. */
function onceReporter(logger: () => Logger | undefined): (kind: string, err: unknown) => void {
  const seen = new Set<string>();
  return (kind, err) => {
    if (seen.has(kind)) return;
    seen.add(kind);
    const message = `periscope: ${kind} failed; the request goes on and telemetry continues (reported once)`;
    try {
      const l = logger();
      if (l) l.warn({ err }, message);
      else process.emitWarning(`${message}: ${(err as Error)?.message ?? String(err)}`);
    } catch {
      // Nothing left to report to.
    }
  };
}

/** Records a request that ended: RED metrics and the access line. */
function recorder(red: RedMetrics, logger: Logger, secretParams: ReadonlySet<string>, tracker: ExceptionTracker, report: (kind: string, err: unknown) => void) {
  const describeError = (err: unknown) => fingerprintedError(err, tracker.capture(err));
  return (state: RequestState, req: IncomingMessage, res: ServerResponse, aborted: boolean, span: Span | undefined): void => {
    if (state.ended) return;
    state.ended = true;
    try {
      const seconds = Number(process.hrtime.bigint() - state.start) / 1e9;
      const status = aborted ? CLIENT_CLOSED_STATUS : res.statusCode;
      const route = state.route ?? (state.mounts.length > 0 ? joinRoute(state.mounts, '') : UNMATCHED_ROUTE);
      const t = state.trace;
      const exemplar = t !== undefined && t.trace_flags === '01' ? { trace_id: t.trace_id, span_id: t.span_id } : undefined;
      red.active(state.method, -1);
      red.recordServer(state.method, route, status, seconds, exemplar);
      logAccess(logger, state, req, { route, status, seconds, aborted }, secretParams, describeError);
      if (span !== undefined) endServerSpan(span, state, route, status, aborted);
    } catch (err) {
      report('request recording', err);
    }
  };
}

/**
 * Instruments an Express app (4 or 5): request IDs, JSON logs, RED metrics, health endpoints and
 * error capture. Call it right after `express()`, before adding routes.
 *
 * @example
 * const app = express();
 * const telemetry = instrument(app, { service: 'users' });
 * app.get('/users/:id', (req, res) => { telemetry.logger.info('looking up'); res.json({}) });
 *
 * @throws TypeError when `app` is not an Express app; TypeError or Error (code
 *   `PERISCOPE_INVALID_OPTION`) naming the option when an option is invalid.
 */
export function instrument(app: unknown, options?: InstrumentOptions): Telemetry {
  if (!isExpressApp(app)) throw appTypeError(app);
  if (app[INSTRUMENTED]) {
    throw Object.assign(new Error('instrument(app): this app is instrumented already; call instrument() once per app'), {
      code: 'PERISCOPE_ALREADY_INSTRUMENTED',
    });
  }
  const opts = resolveOptions(options);

  const registry = new Registry();
  const red = createRedMetrics(registry, opts.maxLabelSets);
  if (opts.defaultMetrics) registerDefaultMetrics(registry);
  registerEventLoopUtilization(registry);
  registerBuildInfo(registry, opts);
  const resources = createResourceRegistry(registry);
  const health = createHealth(opts.readinessTimeoutMs);

  // Failures are reported to the service's logger once it exists (as a process warning before).
  const reportTo: { logger?: Logger } = {};
  const report = onceReporter(() => reportTo.logger);
  let syslog: SyslogShipper | undefined;
  if (opts.syslog !== undefined) {
    const syslogDropped = new Counter({
      name: METRIC.syslogDropped,
      help: 'Log records the syslog shipper dropped (buffer full, oversized, collector down).',
      labelNames: [LABEL.reason],
      registers: [registry],
    });
    syslog = createSyslogShipper({
      url: opts.syslog,
      appName: opts.service,
      onDrop: (n, reason) => syslogDropped.inc({ [LABEL.reason]: reason }, n),
      onError: (err) => report('syslog shipping', err),
    });
  }
  const { logger, accessLogger, flush, flushSync } = createLogger(opts, syslog ? [syslog] : [], (kind, err) => report(kind, err));
  reportTo.logger = logger;
  const tracker = createExceptionTracker(registry);
  const uninstallProcessHandlers = installProcessHandlers({
    logger,
    tracker,
    flushSync,
    uncaught: opts.uncaughtExceptions,
    unhandled: opts.unhandledRejections,
  });
  // Audit events go where the logs go; with no destination at all, audit() says so when called.
  const auditWriter =
    opts.stdout || opts.logFile !== undefined || syslog !== undefined
      ? createAuditWriter({
          base: { service: opts.service, version: opts.version, hostname: hostname(), pid: process.pid },
          stdout: opts.stdout,
          logFile: opts.logFile,
          sinks: syslog ? [syslog] : [],
          redactPaths: redactPaths(opts.redact),
          onSinkError: (err) => report('audit syslog shipping', err),
        })
      : undefined;
  const secretParams = new Set([...SECRET_QUERY_PARAMS, ...opts.redactQueryParams.map((p) => p.toLowerCase())]);
  const record = recorder(red, accessLogger, secretParams, tracker, report);

  const spansDropped = new Counter({
    name: METRIC.spansDropped,
    help: 'Finished spans dropped before export: the queue was full or the export failed.',
    labelNames: [LABEL.reason],
    registers: [registry],
  });
  let tracing: Tracing | undefined;
  let stopOutbound: (() => void) | undefined;
  let outbound: OutboundRecorder | undefined;
  if (opts.tracing) {
    tracing = startTracing({
      service: opts.service,
      version: opts.version,
      env: process.env,
      spansFile: opts.spansFile,
      exporters: opts.spanExporters,
      onDrop: (count, reason) => spansDropped.inc({ [LABEL.reason]: reason }, count),
      onError: report,
    });
    outbound = { tracer: tracing.tracer, recordClient: red.recordClient, report };
    stopOutbound = trackOutbound(outbound);
  }

  if (!installRouteTracking(app)) report('route tracking', new Error('the app has no Express router; routes are labelled "unmatched"'));
  let metricsServer: MetricsServer | undefined;
  if (opts.metricsPort !== undefined) {
    metricsServer = startMetricsServer(registry, opts.metricsHost, opts.metricsPort, (err) => report('metrics server', err));
  }

  const originalHandle = app.handle;
  const handle: Handle = function periscopeHandle(this: unknown, req, res, callback) {
    const path = pathOf(req.url);
    if (health.handle(req, res, path)) return undefined;
    if (metricsServer === undefined && path === METRICS_PATH && (req.method === 'GET' || req.method === 'HEAD')) {
      serveMetrics(registry, req, res, (err) => report('metrics rendering', err));
      return undefined;
    }
    let state: RequestState;
    let traced: ReturnType<typeof startServerSpan> | undefined;
    try {
      const header = req.headers[HEADER.requestId];
      state = {
        id: requestIdFrom(header),
        start: process.hrtime.bigint(),
        method: normalizeMethod(req.method),
        route: undefined,
        mounts: [],
        error: undefined,
        trace: undefined,
        outbound,
        ended: false,
      };
      (req as unknown as Record<symbol, RequestState>)[REQUEST_STATE] = state;
      const locals = ((res as ServerResponse & { locals?: Record<string, unknown> }).locals ??= Object.create(null) as Record<string, unknown>);
      locals.requestId = state.id;
      res.setHeader(HEADER.requestId, state.id);
      if (tracing !== undefined) traced = startServerSpan(tracing.tracer, req, state, path);
      const span = traced?.span;
      red.active(state.method, 1);
      // 'close' follows 'finish' for a complete response and comes alone for an abandoned one.
      res.on('close', () => record(state, req, res, !res.writableFinished, span));
    } catch (err) {
      report('request setup', err);
      return originalHandle.call(this, req, res, callback);
    }
    const handleRequest = () => originalHandle.call(this, req, res, callback ?? finalHandler(state, req, res));
    return runInRequest(state, handleRequest, traced?.context);
  };
  app.handle = handle;
  app[INSTRUMENTED] = true;

  /** Flushes (or, at shutdown, closes) spans, then log lines and syslog; a failing exporter is reported, never thrown. */
  const drain = async (closing: boolean) => {
    try {
      await (closing ? tracing?.shutdown() : tracing?.forceFlush());
    } catch (err) {
      report('span export', err);
    }
    await flush();
    await (closing ? syslog?.close() : syslog?.flush());
  };
  let shutdownPromise: Promise<void> | undefined;
  return {
    service: opts.service,
    logger,
    metrics: registry,
    resource: (name, resourceOptions) => resources.resource(name, resourceOptions),
    addReadinessCheck: (name, check) => health.add(name, check),
    audit(event) {
      if (auditWriter === undefined) {
        throw Object.assign(new Error('audit(event): nowhere to write audit events - turn on stdout, logFile or syslog'), { code: AUDIT_WRITE_FAILED });
      }
      auditWriter.audit(event);
    },
    flush: () => drain(false),
    shutdown() {
      shutdownPromise ??= (async () => {
        health.markShuttingDown();
        await metricsServer?.close();
        stopOutbound?.();
        await drain(true);
        uninstallProcessHandlers();
        auditWriter?.close();
      })();
      return shutdownPromise;
    },
  };
}
