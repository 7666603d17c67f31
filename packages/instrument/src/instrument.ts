/**
 * `instrument(app, options)`: the one call that makes an Express app observable. This file is
 * wiring only; it reads top to bottom as the list of signals, each built by its own room from the
 * resolved options.
 */
import { logEnvWarnings } from './core/env.js';
import { resolveOptions } from './options.js';
import { createReporter } from './core/report.js';
import { createAudit } from './audit/index.js';
import { createExceptions } from './exceptions/index.js';
import { createHealth } from './health/health.js';
import { expressAppOf, markInstrumented } from './http/express-app.js';
import { installRequestHandling } from './http/middleware.js';
import { trackOutbound } from './http/outbound.js';
import { installRouteTracking } from './http/route-tracking.js';
import { countLogDrops } from './logging/dropped.js';
import { createLogger } from './logging/logger.js';
import { secretQueryParams } from './logging/redaction.js';
import { createSyslog } from './logging/syslog/index.js';
import { createMetrics } from './metrics/create.js';
import { createMetricsEndpoint } from './metrics/endpoint.js';
import { createTracing } from './tracing/index.js';
import type { InstrumentOptions, Telemetry } from './types.js';

/**
 * Instruments an Express app (4 or 5): request IDs, JSON logs, RED metrics, trace propagation,
 * health endpoints and error capture. Call it right after `express()`, before adding routes.
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
  const expressApp = expressAppOf(app);
  const opts = resolveOptions(options);
  markInstrumented(expressApp);
  // Failures inside telemetry are reported once per kind, never thrown into the service.
  const { report, attach } = createReporter();

  const metrics = createMetrics(opts);
  const health = createHealth(opts.readinessTimeoutMs);
  const syslog = createSyslog(opts, metrics.registry, report);
  const logging = createLogger(opts, syslog ? [syslog] : [], report, countLogDrops(metrics.registry));
  attach(logging.logger);
  // A variable that could not be used was replaced by its default: one warn line each.
  logEnvWarnings(logging.logger, opts.warnings);
  const exceptions = createExceptions(opts, metrics.registry, metrics.overflow, logging);
  const audit = createAudit(opts, syslog ? [syslog] : [], report);
  const tracing = createTracing(opts, metrics.registry, report, logging.logger);
  const outbound = tracing && { tracer: tracing.tracer, recordClient: metrics.red.recordClient, report, propagateTo: opts.tracePropagationTargets };
  const stopOutbound = outbound && trackOutbound(outbound);
  const metricsEndpoint = createMetricsEndpoint(metrics.registry, opts, report);

  if (!installRouteTracking(expressApp)) report('route tracking', new Error('the app has no Express router; routes are labelled "unmatched"'));
  installRequestHandling(expressApp, {
    red: metrics.red,
    accessLogger: logging.accessLogger,
    secretParams: secretQueryParams(opts.redactQueryParams),
    describeError: exceptions.describe,
    health,
    metrics: metricsEndpoint,
    tracing,
    outbound,
    report,
  });

  /** Flushes (or, at shutdown, closes) spans, then log lines and syslog; a failing exporter is reported, never thrown. */
  const drain = async (closing: boolean) => {
    try {
      await (closing ? tracing?.shutdown() : tracing?.forceFlush());
    } catch (err) {
      report('span export', err);
    }
    await logging.flush();
    await (closing ? syslog?.close() : syslog?.flush());
  };
  let shutdownPromise: Promise<void> | undefined;
  return {
    service: opts.service,
    logger: logging.logger,
    metrics: metrics.registry,
    resource: (name, resourceOptions) => metrics.resources.resource(name, resourceOptions),
    addReadinessCheck: (name, check) => health.add(name, check),
    audit: (event) => audit.audit(event),
    flush: () => drain(false),
    shutdown() {
      shutdownPromise ??= (async () => {
        health.markShuttingDown();
        await metricsEndpoint.close();
        stopOutbound?.();
        await drain(true);
        exceptions.uninstall();
        audit.close();
      })();
      return shutdownPromise;
    },
  };
}
