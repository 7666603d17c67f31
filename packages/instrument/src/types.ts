/**
 * The package's public types. Private shapes live in `internal-types.ts` and are never exported.
 */
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';

/** One thing someone did: who (`actor`) did what (`action`) to what (`target`), and how it ended. */
export interface AuditEvent {
  /** Dotted lower-case segments, object first: `user.login`, `thought.delete`. */
  action: string;
  /** Who did it: a user ID taken from a verified token, a service account. */
  actor?: string;
  /** What it was done to: `thought:42`. */
  target?: string;
  outcome?: 'success' | 'failure';
  /** Details, logged as given (secrets redacted). */
  [detail: string]: unknown;
}

/** Log levels Periscope writes, as words. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** Syslog facility names (RFC 5424 section 6.2.1); a number 0-23 is accepted too. */
export type SyslogFacility =
  | 'kern' | 'user' | 'mail' | 'daemon' | 'auth' | 'syslog' | 'lpr' | 'news' | 'uucp' | 'cron' | 'authpriv' | 'ftp' | 'ntp' | 'audit' | 'alert' | 'clock'
  | 'local0' | 'local1' | 'local2' | 'local3' | 'local4' | 'local5' | 'local6' | 'local7';

/** PEM text (a string starting with `-----BEGIN`), its bytes, or the path of a PEM file read once at start-up. */
export type PemSource = string | Buffer;

/** TLS settings of a `tls://` syslog target (a TLS option on a `tcp://` or `udp://` target is an error). */
export interface SyslogTlsOptions {
  /** CA certificate(s) the collector's certificate must chain to, instead of Node's built-in roots. */
  ca?: PemSource | readonly PemSource[];
  /** Client certificate (mutual TLS); needs `key`. */
  cert?: PemSource;
  /** Private key of `cert`; needs `cert`. */
  key?: PemSource;
  /** Passphrase of an encrypted `key`. */
  passphrase?: string;
  /** Refuse a collector whose certificate does not verify. Default `true`; `false` encrypts without authenticating the collector. */
  rejectUnauthorized?: boolean;
  /** Name the collector's certificate must carry (and the SNI sent). Default: the target's host name (none for an IP address). */
  servername?: string;
}

/** Syslog shipping, as one object. Every field but `target` is optional. */
export interface SyslogOptions {
  /** Collector address: `tcp://host:port`, `tls://host:port` or `udp://host:port`. Default: `PERISCOPE_SYSLOG_URL`. */
  target?: string;
  /** RFC 5424 APP-NAME (at most 48 printable ASCII characters are kept). Default: the `service` option. */
  appName?: string;
  /** RFC 5424 HOSTNAME (at most 255 printable ASCII characters are kept). Default: the machine's host name. */
  hostname?: string;
  /** Syslog facility, a name or 0-23. Default `"local0"` (16). */
  facility?: SyslogFacility | number;
  /** Largest message in bytes (header and body; TCP's length prefix not counted); a longer record is shipped shrunk. Default 8192 (rsyslog's default); 480 to 1 MiB, at most 65507 over UDP. */
  maxMessageBytes?: number;
  /** What is held while the collector is down or slow; past either bound the oldest records are dropped and counted (`reason="buffer_full"`). */
  queue?: {
    /** Most records held. Default 10000. */
    readonly maxRecords?: number;
    /** Most bytes held (encoded messages); at least `maxMessageBytes`. Default 8388608 (8 MiB). */
    readonly maxBytes?: number;
  };
  /** Delay before reconnecting, doubled after each failure up to `maxDelayMs`, with jitter. */
  reconnect?: {
    /** First delay. Default 200 ms. */
    readonly baseDelayMs?: number;
    /** Longest delay; at least `baseDelayMs`. Default 30000 ms. */
    readonly maxDelayMs?: number;
  };
  /** Give up a TCP/TLS connection attempt (TLS handshake included) after this long. Default 5000 ms. */
  connectTimeoutMs?: number;
  /** Idle time before the first TCP keepalive probe, so a dead collector is noticed. Default 15000 ms (at least 1000). */
  keepAliveMs?: number;
  /** Reconnect when written data has not drained for this long (a collector that stopped reading). Default 10000 ms. */
  stallTimeoutMs?: number;
  /** TLS settings; only with a `tls://` target. */
  tls?: SyslogTlsOptions;
}

/** Where Periscope's spans go: see {@link InstrumentOptions.tracing}. */
export type TracingMode = 'auto' | 'own' | 'global';

/**
 * Hosts whose calls carry the request's context: see {@link InstrumentOptions.tracePropagationTargets}.
 * A string is a host name or address (`"api.example.com"`, `"10.0.0.7"`) or `"*."` and a domain
 * (`"*.example.com"`: its subdomains); a RegExp is tested against the host name; a function gets
 * the host name and returns `true` to send. The host name is lower case, without port; an IPv6
 * address is without brackets.
 */
export type TracePropagationTargets = readonly (string | RegExp)[] | ((host: string) => boolean);

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
  /**
   * Ship every log line to a syslog collector (RFC 5424; the message body is the JSON line).
   * A URL string (`tcp://`, `tls://` or `udp://host:port`) is shorthand for `{ target }`; the
   * object sets everything else. `false` turns shipping off even when `PERISCOPE_SYSLOG_URL` is set.
   * Default: `PERISCOPE_SYSLOG_URL`, else off.
   */
  syslog?: string | false | SyslogOptions;
  /**
   * Trace requests (server and client spans, W3C propagation), and where spans go. `'auto'` (the
   * default, also `true`): join the app's OpenTelemetry SDK when one is registered globally by the
   * first request, else run Periscope's own pipeline. `'global'`: always use the app's SDK (its
   * sampler, processors and exporters). `'own'`: Periscope's pipeline, registering globals only
   * where the app has none. `false`: off. `OTEL_SDK_DISABLED=true` turns Periscope's recording off.
   */
  tracing?: boolean | TracingMode;
  /**
   * Hosts that outbound calls send the request's context to: `traceparent`, `tracestate`,
   * `baggage` and `X-Request-ID`. Calls to other hosts still get their client span and client
   * metric; only these headers are withheld, so a payment provider or a public API never sees
   * internal trace IDs, request IDs or what the baggage holds. The decision is made once per host
   * (a function is called once per host, not per call), from the name alone: nothing is resolved.
   *
   * Default: internal hosts — loopback (`localhost`, `127.0.0.0/8`, `::1`, `0.0.0.0`), private
   * addresses (`10/8`, `172.16/12`, `192.168/16`, `fc00::/7`, `fe80::/10`), single-label names
   * (`users`: a compose service, a Kubernetes service in the same namespace) and names under
   * `.svc`, `.svc.cluster.local`, `.local`, `.internal` and `.localhost`. A public name that
   * resolves to a private address (`users.example.com`) and the two-label Kubernetes form
   * (`users.default`) are not recognised: list them. A value replaces the default: `() => true`
   * sends to every host (the behaviour before this option), `[]` to none.
   */
  tracePropagationTargets?: TracePropagationTargets;
  /** Also write spans as OTLP JSON lines to this file (read by `periscope trace`). Default: `PERISCOPE_SPANS_FILE`. */
  spansFile?: string;
  /**
   * Size cap of `logFile` and `spansFile`: past `maxBytes` a file is rotated (`app.log` →
   * `app.log.1` → … `app.log.<maxFiles>`, the oldest deleted), so an output never takes more than
   * about `maxBytes × (maxFiles + 1)`. `false` lets the files grow (rotate them yourself).
   * Default `{ maxBytes: 52428800, maxFiles: 3 }` (50 MiB; at most about 200 MiB per output), or `PERISCOPE_FILE_MAX_BYTES` / `PERISCOPE_FILE_MAX_FILES`.
   */
  fileRotation?: false | { readonly maxBytes?: number; readonly maxFiles?: number };
  /**
   * Most bytes of log lines held in memory for stdout, and again for `logFile`, while that
   * destination cannot keep up (a log agent reading stdout slowly, a stalled disk). Lines past it
   * are dropped, never queued without bound, and counted in
   * `periscope_log_lines_dropped_total{destination}`. Audit events are written synchronously and
   * are not affected. Default 16 MiB; at least 64 KiB.
   */
  logBufferBytes?: number;
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
