/**
 * The telemetry contract's names, in one place (see shared/design.md, "The telemetry contract").
 *
 * Dashboards, alert rules and their tests import these instead of retyping strings, so a rename
 * here is a rename everywhere. Metric and label names follow the OpenTelemetry HTTP semantic
 * conventions as the OpenTelemetry Prometheus exporter spells them.
 */

/** Metric names exported by `@periscope/instrument`. */
export const METRIC = Object.freeze({
  /** Histogram (seconds) of inbound HTTP requests: rate, errors (5xx) and duration. */
  serverDuration: 'http_server_request_duration_seconds',
  /** Gauge of in-flight inbound requests, by method. */
  serverActive: 'http_server_active_requests',
  /** Histogram (seconds) of outbound HTTP calls this service makes. */
  clientDuration: 'http_client_request_duration_seconds',
  /** Gauge (0–1) of event-loop utilization. */
  eventLoopUtilization: 'nodejs_eventloop_utilization_ratio',
  /** Gauge: capacity of an application resource (a pool, a queue, a worker set). */
  resourceCapacity: 'periscope_resource_capacity',
  /** Gauge: units of an application resource in use. */
  resourceInUse: 'periscope_resource_in_use',
  /** Gauge: callers waiting for an application resource. */
  resourceWaiting: 'periscope_resource_waiting',
  /** Counter: errors of an application resource. */
  resourceErrors: 'periscope_resource_errors_total',
  /** Gauge (=1) naming the running build. */
  buildInfo: 'periscope_build_info',
  /** Counter of label sets dropped by the cardinality guard, by metric. */
  metricOverflow: 'periscope_metric_overflow_total',
  /** Counter of finished spans dropped before export (queue full or exporter failing). */
  spansDropped: 'periscope_spans_dropped_total',
  /** Counter of log records the syslog shipper dropped (buffer full or collector down). */
  syslogDropped: 'periscope_syslog_dropped_total',
  /** Counter of log lines dropped because stdout or the log file could not keep up (its buffer was full), by destination. */
  logDropped: 'periscope_log_lines_dropped_total',
  /**
   * Counter of incoming trace context dropped as invalid, by header: a `traceparent` or a
   * `tracestate` as a whole, each `baggage` member on its own (malformed or past the spec's limits).
   */
  propagationDropped: 'periscope_propagation_dropped_total',
  /** Counter of errors captured by the package, by error type. */
  exceptions: 'periscope_exceptions_total',
} as const);

/** Label names used on the metrics above. */
export const LABEL = Object.freeze({
  method: 'http_request_method',
  route: 'http_route',
  status: 'http_response_status_code',
  serverAddress: 'server_address',
  resource: 'resource',
  service: 'service',
  version: 'version',
  commit: 'commit',
  metric: 'metric',
  reason: 'reason',
  destination: 'destination',
  header: 'header',
  type: 'type',
} as const);

/** Buckets (seconds) of both duration histograms, from the HTTP semantic conventions. */
export const DURATION_BUCKETS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
]);

/** The `http_route` value of a request that matched no route. */
export const UNMATCHED_ROUTE = 'unmatched';

/** The label value that stands for every label set past a metric's cap. */
export const OVERFLOW_VALUE = 'overflow';

/** HTTP header names Periscope reads and writes (lower case, as Node exposes them). */
export const HEADER = Object.freeze({
  requestId: 'x-request-id',
  traceparent: 'traceparent',
  tracestate: 'tracestate',
  baggage: 'baggage',
} as const);

/** Keys every log line may carry. */
export const LOG_KEY = Object.freeze({
  time: 'time',
  level: 'level',
  msg: 'msg',
  service: 'service',
  version: 'version',
  hostname: 'hostname',
  pid: 'pid',
  requestId: 'request_id',
  traceId: 'trace_id',
  spanId: 'span_id',
  traceFlags: 'trace_flags',
  http: 'http',
  durationMs: 'duration_ms',
  clientAddress: 'client_address',
  userAgent: 'user_agent',
  err: 'err',
  logType: 'log_type',
} as const);

/** Span attributes Periscope adds beyond the OpenTelemetry semantic conventions. */
export const SPAN_ATTRIBUTE = Object.freeze({
  /** The request ID, on the server span: `periscope trace <request-id>` finds the trace by it. */
  requestId: 'periscope.request_id',
} as const);

/** The `msg` of the access line written when a request ends. */
export const ACCESS_MESSAGE = 'request completed';

/** Paths of the health endpoints; neither is logged per request nor counted in RED. */
export const HEALTH_PATH = Object.freeze({ liveness: '/healthz', readiness: '/readyz' } as const);

/** Path of the Prometheus exposition endpoint. */
export const METRICS_PATH = '/metrics';

/** Environment variables the package reads (besides the standard `OTEL_*` ones). */
export const ENV = Object.freeze({
  version: 'PERISCOPE_VERSION',
  commit: 'PERISCOPE_COMMIT',
  syslogUrl: 'PERISCOPE_SYSLOG_URL',
  spansFile: 'PERISCOPE_SPANS_FILE',
  logFile: 'PERISCOPE_LOG_FILE',
  metricsPort: 'PERISCOPE_METRICS_PORT',
  logLevel: 'PERISCOPE_LOG_LEVEL',
  /** Size (bytes) at which the log and spans files rotate. */
  fileMaxBytes: 'PERISCOPE_FILE_MAX_BYTES',
  /** Rotated log and spans files kept. */
  fileMaxFiles: 'PERISCOPE_FILE_MAX_FILES',
} as const);
