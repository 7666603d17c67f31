/**
 * Defaults merged with the environment and the caller's options, validated once when
 * `instrument()` is called. An invalid option is code: every one found is thrown at once
 * (core/problems.ts). An invalid variable is configuration: it is a warning and the default
 * applies (core/env.ts), so the environment never takes the service down.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import type { Logger } from 'pino';
import { EnvReader } from './env.js';
import type { EnvWarning } from './env.js';
import { ENV } from './names.js';
import { tracingEnv } from './otel-env.js';
import type { TracingEnv } from './otel-env.js';
import { OptionProblems } from './problems.js';
import { suggestName } from './suggest.js';
import { DEFAULT_ROTATION } from './rotating-file.js';
import type { RotationPolicy } from './rotating-file.js';
import { optionTypeError, optionValueError } from './errors.js';
import type { CodedError } from './errors.js';
import { resolveSyslogOptions } from '../logging/syslog/options.js';
import { parseSyslogUrl } from '../logging/syslog/url.js';
import type { SyslogConfig } from '../logging/syslog/options.js';
import { isInternalHost, resolvePropagationTargets } from '../http/outbound-targets.js';
import type { HostMatcher } from '../http/outbound-targets.js';
import type { InstrumentOptions, LogLevel, TracingMode } from '../types.js';

/** The options after defaults, environment and validation: every field is settled. */
export interface ResolvedOptions {
  readonly service: string;
  readonly version: string;
  readonly commit: string;
  readonly logger: Logger | undefined;
  readonly logLevel: LogLevel;
  readonly logFile: string | undefined;
  readonly stdout: boolean;
  readonly metricsPort: number | undefined;
  readonly metricsHost: string;
  readonly maxLabelSets: number;
  readonly defaultMetrics: boolean;
  readonly readinessTimeoutMs: number;
  /** The collector, the TLS settings and the bounds, settled; `undefined` when shipping is off. */
  readonly syslog: SyslogConfig | undefined;
  /** Tracing mode (`false`: off); `true` was resolved to `'auto'`. */
  readonly tracing: TracingMode | false;
  readonly uncaughtExceptions: boolean;
  readonly unhandledRejections: boolean;
  readonly spansFile: string | undefined;
  /** Size cap and rotation of `logFile` and `spansFile`; `false` lets them grow. */
  readonly fileRotation: RotationPolicy | false;
  /** Most bytes of log lines held for stdout, and for the log file, while it cannot keep up. */
  readonly logBufferBytes: number;
  readonly spanExporters: readonly SpanExporter[];
  readonly redact: readonly string[];
  readonly redactQueryParams: readonly string[];
  /** Whether an outbound call to a host may carry the request's context (`tracePropagationTargets`). */
  readonly tracePropagationTargets: HostMatcher;
  /** The `OTEL_*` variables of tracing, settled. */
  readonly otel: TracingEnv;
  /** Variables whose values were not used (logged once the logger exists). */
  readonly warnings: readonly EnvWarning[];
}

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'fatal'];

/** Frozen defaults; the environment and the caller's options override them. */
export const DEFAULTS = Object.freeze({
  logLevel: 'info' as LogLevel,
  metricsHost: '0.0.0.0',
  maxLabelSets: 2000,
  defaultMetrics: true,
  readinessTimeoutMs: 2000,
  version: 'unknown',
  commit: 'unknown',
  service: 'unknown_service:node',
  logBufferBytes: 16 * 1024 * 1024,
});

/**
 * Every option `instrument()` accepts: typed from {@link InstrumentOptions}, so an option added
 * there and not here (or the other way round) does not compile. The order is the one an unknown
 * option's message lists them in.
 */
const KNOWN_OPTIONS = {
  service: true, version: true, commit: true, logger: true, logLevel: true, logFile: true, stdout: true, metricsPort: true, metricsHost: true,
  maxLabelSets: true, defaultMetrics: true, readinessTimeoutMs: true, syslog: true, redact: true, redactQueryParams: true, tracing: true, spansFile: true,
  spanExporters: true, uncaughtExceptions: true, unhandledRejections: true, fileRotation: true, logBufferBytes: true, tracePropagationTargets: true,
} as const satisfies Record<keyof InstrumentOptions, true>;
const KNOWN: ReadonlySet<string> = new Set(Object.keys(KNOWN_OPTIONS));

const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;

/** Name and version of the package in the working directory, when there is one. */
function appPackage(env: NodeJS.ProcessEnv): { name?: string; version?: string } {
  if (env.npm_package_name) return { name: env.npm_package_name, version: env.npm_package_version };
  try {
    const pkg = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
    return {
      name: typeof pkg.name === 'string' ? pkg.name : undefined,
      version: typeof pkg.version === 'string' ? pkg.version : undefined,
    };
  } catch {
    return {};
  }
}

function nonEmptyString(option: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw optionTypeError(option, value, 'a non-empty string');
  if (value.trim() === '') throw optionValueError(option, value, 'a non-empty string');
  return value;
}

function integer(option: string, value: unknown, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number') throw optionTypeError(option, value, `an integer from ${min} to ${max}`);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw optionValueError(option, value, `an integer from ${min} to ${max}`);
  }
  return value;
}

function stringList(option: string, value: unknown): readonly string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === '')) {
    throw optionTypeError(option, value, 'an array of non-empty strings');
  }
  return Object.freeze([...(value as string[])]);
}

function exporterList(value: unknown): readonly SpanExporter[] {
  if (value === undefined) return [];
  const ok = Array.isArray(value) && value.every((e) => typeof e === 'object' && e !== null && typeof (e as SpanExporter).export === 'function' && typeof (e as SpanExporter).shutdown === 'function');
  if (!ok) throw optionTypeError('spanExporters', value, 'an array of span exporters (objects with export() and shutdown())');
  return Object.freeze([...(value as SpanExporter[])]);
}

/** `fileRotation`: `false`, or `{ maxBytes?, maxFiles? }` over the defaults and `PERISCOPE_FILE_MAX_*`. */
function fileRotation(value: unknown, env: EnvReader): RotationPolicy | false {
  if (value === false) return false;
  if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    throw optionTypeError('fileRotation', value, 'false or an object { maxBytes?, maxFiles? }');
  }
  const o = (value ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (key !== 'maxBytes' && key !== 'maxFiles') throw unknownOption(`fileRotation.${key}`, o[key], key, ['maxBytes', 'maxFiles']);
  }
  return Object.freeze({
    maxBytes:
      integer('fileRotation.maxBytes', o.maxBytes, 1024, Number.MAX_SAFE_INTEGER) ??
      env.integer(ENV.fileMaxBytes, 1024, Number.MAX_SAFE_INTEGER, `${DEFAULT_ROTATION.maxBytes} (the default)`) ??
      DEFAULT_ROTATION.maxBytes,
    maxFiles: integer('fileRotation.maxFiles', o.maxFiles, 0, 1000) ?? env.integer(ENV.fileMaxFiles, 0, 1000, `${DEFAULT_ROTATION.maxFiles} (the default)`) ?? DEFAULT_ROTATION.maxFiles,
  });
}

function isLogger(value: unknown): value is Logger {
  const v = value as Record<string, unknown> | null;
  return typeof v === 'object' && v !== null && typeof v.info === 'function' && typeof v.child === 'function';
}


const TRACING_MODES: readonly TracingMode[] = ['auto', 'own', 'global'];

/** `tracing`: `true` or absent → `'auto'`, `false` → off, else one of the modes. */
function tracingMode(value: unknown): TracingMode | false {
  if (value === undefined || value === true) return 'auto';
  if (value === false) return false;
  if (typeof value === 'string' && (TRACING_MODES as readonly string[]).includes(value)) return value as TracingMode;
  if (typeof value !== 'string') throw optionTypeError('tracing', value, `a boolean or one of ${TRACING_MODES.map((m) => `"${m}"`).join(', ')}`);
  throw optionValueError('tracing', value, `true, false or one of ${TRACING_MODES.map((m) => `"${m}"`).join(', ')}`);
}

/** An option nobody knows: names the closest known one when it looks like a slip. */
function unknownOption(option: string, value: unknown, key: string, known: readonly string[]): CodedError {
  const suggestion = suggestName(key, known);
  return suggestion !== undefined
    ? optionValueError(option, value, `a known option; did you mean "${option.slice(0, option.length - key.length)}${suggestion}"?`)
    : optionValueError(option, value, `one of the known options: ${known.join(', ')}`);
}

const SERVICE_EXPECTED = '1-128 characters of letters, digits and . _ : / -, starting with a letter or digit';

/** `service`: the option (checked), else `OTEL_SERVICE_NAME`, else the package name, when usable. */
function serviceName(value: unknown, env: EnvReader, pkgName: string | undefined): string {
  const given = nonEmptyString('service', value);
  if (given !== undefined) {
    if (!SERVICE_NAME.test(given)) throw optionValueError('service', given, SERVICE_EXPECTED);
    return given;
  }
  const fromPackage = pkgName !== undefined && SERVICE_NAME.test(pkgName) ? pkgName : undefined;
  const fromEnv = env.string('OTEL_SERVICE_NAME');
  if (fromEnv !== undefined && SERVICE_NAME.test(fromEnv)) return fromEnv;
  if (fromEnv !== undefined) env.warn('OTEL_SERVICE_NAME', fromEnv, SERVICE_EXPECTED, fromPackage !== undefined ? `the package name "${fromPackage}"` : `"${DEFAULTS.service}"`);
  return fromPackage ?? DEFAULTS.service;
}

/** `syslog` over `PERISCOPE_SYSLOG_URL`: an unusable URL in the variable turns shipping off, with a warning. */
function syslogConfig(value: unknown, service: string, env: EnvReader): SyslogConfig | undefined {
  const fromEnv = env.string(ENV.syslogUrl);
  const readsEnv = value === undefined || (typeof value === 'object' && value !== null && (value as { target?: unknown }).target === undefined);
  if (fromEnv !== undefined && readsEnv) {
    try {
      parseSyslogUrl(fromEnv, ENV.syslogUrl);
    } catch {
      env.warn(ENV.syslogUrl, fromEnv, 'a URL tcp://host:port, tls://host:port or udp://host:port (port 1-65535)', 'no syslog shipping');
      return undefined;
    }
  }
  return resolveSyslogOptions(value, service, { [ENV.syslogUrl]: fromEnv });
}

/** `logLevel`: the option (checked), else `PERISCOPE_LOG_LEVEL` when it is a level, else `info`. */
function logLevelOf(value: unknown, env: EnvReader): LogLevel {
  if (value !== undefined) {
    if (!LOG_LEVELS.includes(value as LogLevel)) throw optionValueError('logLevel', value, `one of ${LOG_LEVELS.join(', ')}`);
    return value as LogLevel;
  }
  return env.oneOf(ENV.logLevel, LOG_LEVELS, `${DEFAULTS.logLevel} (the default)`) ?? DEFAULTS.logLevel;
}

/**
 * Merges defaults, the environment and `options`, and checks every value. Invalid variables
 * become `warnings`; invalid options are thrown, all at once.
 * @throws TypeError (wrong shape) or Error (bad value), both with `code: 'PERISCOPE_INVALID_OPTION'`;
 *   for several, one error listing each (its `errors` holds them).
 */
export function resolveOptions(options: unknown, processEnv: NodeJS.ProcessEnv = process.env): ResolvedOptions {
  if (options === undefined || options === null) options = {};
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw optionTypeError('options', options, 'an object');
  }
  const o = options as Record<string, unknown>;
  const env = new EnvReader(processEnv);
  const problems = new OptionProblems();
  const known = [...KNOWN];
  for (const key of Object.keys(o)) {
    if (!KNOWN.has(key)) problems.add(unknownOption(key, o[key], key, known));
  }
  const check = problems.check.bind(problems);

  const pkg = appPackage(processEnv);
  const service = check(() => serviceName(o.service, env, pkg.name), DEFAULTS.service);
  const logLevel = check(() => logLevelOf(o.logLevel, env), DEFAULTS.logLevel);
  check(() => {
    if (o.logger !== undefined && !isLogger(o.logger)) throw optionTypeError('logger', o.logger, 'a pino logger (an object with info() and child())');
  }, undefined);
  for (const flag of ['defaultMetrics', 'stdout', 'uncaughtExceptions', 'unhandledRejections'] as const) {
    check(() => {
      if (o[flag] !== undefined && typeof o[flag] !== 'boolean') throw optionTypeError(flag, o[flag], 'a boolean');
    }, undefined);
  }
  const envString = (name: string) => env.string(name);

  const resolved: ResolvedOptions = Object.freeze({
    service,
    version: check(() => nonEmptyString('version', o.version), undefined) ?? envString(ENV.version) ?? pkg.version ?? DEFAULTS.version,
    commit: check(() => nonEmptyString('commit', o.commit), undefined) ?? envString(ENV.commit) ?? DEFAULTS.commit,
    logger: o.logger as Logger | undefined,
    logLevel,
    logFile: check(() => nonEmptyString('logFile', o.logFile), undefined) ?? envString(ENV.logFile),
    stdout: (o.stdout as boolean | undefined) ?? true,
    metricsPort:
      check(() => integer('metricsPort', o.metricsPort, 0, 65535), undefined) ??
      (o.metricsPort === undefined ? env.integer(ENV.metricsPort, 0, 65535, "the app's own port for /metrics (no separate metrics server)") : undefined),
    metricsHost: check(() => nonEmptyString('metricsHost', o.metricsHost), undefined) ?? DEFAULTS.metricsHost,
    maxLabelSets: check(() => integer('maxLabelSets', o.maxLabelSets, 1, 1_000_000), undefined) ?? DEFAULTS.maxLabelSets,
    defaultMetrics: (o.defaultMetrics as boolean | undefined) ?? DEFAULTS.defaultMetrics,
    readinessTimeoutMs: check(() => integer('readinessTimeoutMs', o.readinessTimeoutMs, 1, 600_000), undefined) ?? DEFAULTS.readinessTimeoutMs,
    syslog: check(() => syslogConfig(o.syslog, service, env), undefined),
    tracing: check(() => tracingMode(o.tracing), false),
    uncaughtExceptions: (o.uncaughtExceptions as boolean | undefined) ?? true,
    unhandledRejections: (o.unhandledRejections as boolean | undefined) ?? true,
    spansFile: check(() => nonEmptyString('spansFile', o.spansFile), undefined) ?? envString(ENV.spansFile),
    spanExporters: check(() => exporterList(o.spanExporters), []),
    fileRotation: check(() => fileRotation(o.fileRotation, env), false),
    logBufferBytes: check(() => integer('logBufferBytes', o.logBufferBytes, 64 * 1024, Number.MAX_SAFE_INTEGER), undefined) ?? DEFAULTS.logBufferBytes,
    redact: check(() => stringList('redact', o.redact), []),
    redactQueryParams: check(() => stringList('redactQueryParams', o.redactQueryParams), []),
    tracePropagationTargets: check(() => resolvePropagationTargets(o.tracePropagationTargets), isInternalHost),
    otel: tracingEnv(env),
    warnings: env.warnings,
  });
  problems.throwIfAny();
  return resolved;
}
