/**
 * The package's public types. Private shapes live in `internal-types.ts` and are never exported.
 */
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import type { Logger } from 'pino';
import type { AuditEvent } from './audit/event.js';
import type { Registry } from 'prom-client';

/** Log levels Periscope writes, as words. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** Where Periscope's spans go: see {@link InstrumentOptions.tracing}. */
export type TracingMode = 'auto' | 'own' | 'global';

/** Options of {@link instrument}. Every one is optional. */
export interface InstrumentOptions {
  /** Service name in logs and `periscope_build_info`. Default: `OTEL_SERVICE_NAME`, then the app's package name. */
  service?: string;
  /** Build version. Default: `PERISCOPE_VERSION`, then the app's package version, then `"unknown"`. */
  version?: string;
  /** Build commit. Default: `PERISCOPE_COMMIT`, then `"unknown"`. */
  commit?: string;
  /** A pino logger to use instead of the one Periscope builds. Request fields are still added. */
  logger?: Logger;
  /** Minimum level of the logger Periscope builds. Default: `PERISCOPE_LOG_LEVEL`, then `"info"`. */
  logLevel?: LogLevel;
  /** Write log lines to stdout. Default `true`; turn off when another destination is enough. */
  stdout?: boolean;
  /** Also append every log line to this file (stdout is unchanged). Default: `PERISCOPE_LOG_FILE`. */
  logFile?: string;
  /** Serve `/metrics` on this port instead of on the app. Default: `PERISCOPE_METRICS_PORT`; unset = on the app. */
  metricsPort?: number;
  /** Address the separate metrics server binds to. Default `"0.0.0.0"`. */
  metricsHost?: string;
  /** Most label sets per metric; past it, samples go to one overflow series. Default 2000. */
  maxLabelSets?: number;
  /** Collect prom-client's process and Node.js metrics. Default `true`. */
  defaultMetrics?: boolean;
  /** Time a readiness check may take before it counts as failed, in ms. Default 2000. */
  readinessTimeoutMs?: number;
  /** Ship logs to a syslog collector (`tcp://`, `tls://` or `udp://host:port`). Default: `PERISCOPE_SYSLOG_URL`. */
  syslog?: string | false;
  /**
   * Trace requests (server and client spans, W3C propagation), and where spans go. `'auto'` (the
   * default, also `true`): join the app's OpenTelemetry SDK when one is registered globally by the
   * first request, else run Periscope's own pipeline. `'global'`: always use the app's SDK (its
   * sampler, processors and exporters). `'own'`: Periscope's pipeline, registering globals only
   * where the app has none. `false`: off. `OTEL_SDK_DISABLED=true` turns Periscope's recording off.
   */
  tracing?: boolean | TracingMode;
  /** Also write spans as OTLP JSON lines to this file (read by `periscope trace`). Default: `PERISCOPE_SPANS_FILE`. */
  spansFile?: string;
  /**
   * Size cap of `logFile` and `spansFile`: past `maxBytes` a file is rotated (`app.log` →
   * `app.log.1` → … `app.log.<maxFiles>`, the oldest deleted), so an output never takes more than
   * about `maxBytes × (maxFiles + 1)`. `false` lets the files grow (rotate them yourself).
   * Default `{ maxBytes: 52428800, maxFiles: 3 }` (50 MiB; at most about 200 MiB per output), or `PERISCOPE_FILE_MAX_BYTES` / `PERISCOPE_FILE_MAX_FILES`.
   */
  fileRotation?: false | { readonly maxBytes?: number; readonly maxFiles?: number };
  /** More span exporters, each behind its own bounded batch processor (e.g. the SDK's `InMemorySpanExporter`). */
  spanExporters?: readonly SpanExporter[];
  /** Log an uncaught exception as `fatal` (flushed before Node exits; the exit code is Node's). Default `true`. */
  uncaughtExceptions?: boolean;
  /** Log unhandled rejections the process survives (`--unhandled-rejections=warn|none`) as `error`. Default `true`. */
  unhandledRejections?: boolean;
  /** Extra log paths to redact, in pino's path syntax (e.g. `"user.email"`). */
  redact?: readonly string[];
  /** Query parameter names whose values are redacted in logged paths, added to the built-in list. */
  redactQueryParams?: readonly string[];
}

/** A readiness check: resolves (or returns) `true` when the dependency it watches is usable. */
export type ReadinessCheck = () => boolean | Promise<boolean>;

/** USE tracking for one application resource (a pool, a queue, a worker set). */
export interface ResourceTracker {
  /** The resource's name, the value of the `resource` label. */
  readonly name: string;
  /** Units the resource holds. */
  readonly capacity: number;
  /** Units in use now. */
  readonly inUse: number;
  /** Callers waiting for a unit now. */
  readonly waiting: number;
  /** Waits for a free unit (counted as waiting meanwhile) and resolves to the function that gives it back. */
  acquire(): Promise<() => void>;
  /** Runs `fn` holding one unit; an error it throws is counted as a resource error and rethrown. */
  run<T>(fn: () => T | Promise<T>): Promise<T>;
  /** Counts one error of the resource (a failed unit of work, a timeout). */
  error(): void;
  /** Changes the capacity; waiting callers are admitted when it grows. */
  setCapacity(capacity: number): void;
}

/** What {@link instrument} returns. */
export interface Telemetry {
  /** The service name in use. */
  readonly service: string;
  /** The pino logger; inside a request its lines carry the request's IDs with no argument passed. */
  readonly logger: Logger;
  /** The prom-client registry `/metrics` serves; register your own metrics on it. */
  readonly metrics: Registry;
  /** Starts USE tracking for an application resource (idempotent per name). */
  resource(name: string, options: { capacity: number }): ResourceTracker;
  /** Adds a check that `GET /readyz` runs; the endpoint answers 503 while any check fails. */
  addReadinessCheck(name: string, check: ReadinessCheck): void;
  /**
   * Writes one audit event (`log_type: "audit"`, the request's IDs, redacted details) before it
   * returns, whatever the log level; throws `PERISCOPE_INVALID_AUDIT_EVENT` for a bad event and
   * `PERISCOPE_AUDIT_WRITE_FAILED` when it could not be written.
   */
  audit(event: AuditEvent): void;
  /** Writes out buffered log lines and exports finished spans now; telemetry keeps running. */
  flush(): Promise<void>;
  /** Flushes logs and spans, stops timers and closes the separate metrics server. Safe to call twice. */
  shutdown(): Promise<void>;
}
