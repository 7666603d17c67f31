/**
 * Defaults merged with the caller's options, validated once when `instrument()` is called.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import type { Logger } from 'pino';
import { ENV } from './names.js';
import { DEFAULT_ROTATION } from './rotating-file.js';
import type { RotationPolicy } from './rotating-file.js';
import { optionTypeError, optionValueError } from './errors.js';
import { resolveSyslogOptions } from '../logging/syslog/options.js';
import type { SyslogConfig } from '../logging/syslog/options.js';
import type { LogLevel, TracingMode } from '../types.js';

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

const KNOWN = new Set<string>([
  'service', 'version', 'commit', 'logger', 'logLevel', 'logFile', 'stdout', 'metricsPort', 'metricsHost',
  'maxLabelSets', 'defaultMetrics', 'readinessTimeoutMs', 'syslog', 'redact', 'redactQueryParams', 'tracing', 'spansFile', 'spanExporters', 'uncaughtExceptions', 'unhandledRejections',
  'fileRotation', 'logBufferBytes',
]);

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

function envInteger(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw optionValueError(name, raw, `an integer from ${min} to ${max}`);
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
function fileRotation(value: unknown, env: NodeJS.ProcessEnv): RotationPolicy | false {
  if (value === false) return false;
  if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    throw optionTypeError('fileRotation', value, 'false or an object { maxBytes?, maxFiles? }');
  }
  const o = (value ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (key !== 'maxBytes' && key !== 'maxFiles') throw optionValueError(`fileRotation.${key}`, o[key], 'one of maxBytes, maxFiles');
  }
  return Object.freeze({
    maxBytes:
      integer('fileRotation.maxBytes', o.maxBytes, 1024, Number.MAX_SAFE_INTEGER) ??
      envInteger(ENV.fileMaxBytes, env[ENV.fileMaxBytes], 1024, Number.MAX_SAFE_INTEGER) ??
      DEFAULT_ROTATION.maxBytes,
    maxFiles: integer('fileRotation.maxFiles', o.maxFiles, 0, 1000) ?? envInteger(ENV.fileMaxFiles, env[ENV.fileMaxFiles], 0, 1000) ?? DEFAULT_ROTATION.maxFiles,
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

/**
 * Merges defaults, the environment and `options`, and checks every value.
 * @throws TypeError (wrong shape) or Error (bad value), both with `code: 'PERISCOPE_INVALID_OPTION'`.
 */
export function resolveOptions(options: unknown, env: NodeJS.ProcessEnv = process.env): ResolvedOptions {
  if (options === undefined || options === null) options = {};
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw optionTypeError('options', options, 'an object');
  }
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!KNOWN.has(key)) {
      throw optionValueError(key, o[key], `one of the known options: ${[...KNOWN].join(', ')}`);
    }
  }

  const pkg = appPackage(env);
  const service = nonEmptyString('service', o.service) ?? (env.OTEL_SERVICE_NAME || undefined) ?? pkg.name ?? DEFAULTS.service;
  if (!SERVICE_NAME.test(service)) {
    throw optionValueError('service', service, '1-128 characters of letters, digits and . _ : / -, starting with a letter or digit');
  }

  const logLevel = (o.logLevel ?? (env[ENV.logLevel] || undefined) ?? DEFAULTS.logLevel) as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw optionValueError(o.logLevel !== undefined ? 'logLevel' : ENV.logLevel, logLevel, `one of ${LOG_LEVELS.join(', ')}`);
  }

  if (o.logger !== undefined && !isLogger(o.logger)) {
    throw optionTypeError('logger', o.logger, 'a pino logger (an object with info() and child())');
  }
  for (const flag of ['defaultMetrics', 'stdout', 'uncaughtExceptions', 'unhandledRejections'] as const) {
    if (o[flag] !== undefined && typeof o[flag] !== 'boolean') throw optionTypeError(flag, o[flag], 'a boolean');
  }
  const syslog = resolveSyslogOptions(o.syslog, service, env);

  return Object.freeze({
    service,
    version: nonEmptyString('version', o.version) ?? (env[ENV.version] || undefined) ?? pkg.version ?? DEFAULTS.version,
    commit: nonEmptyString('commit', o.commit) ?? (env[ENV.commit] || undefined) ?? DEFAULTS.commit,
    logger: o.logger as Logger | undefined,
    logLevel,
    logFile: nonEmptyString('logFile', o.logFile) ?? (env[ENV.logFile] || undefined),
    stdout: (o.stdout as boolean | undefined) ?? true,
    metricsPort: integer('metricsPort', o.metricsPort, 0, 65535) ?? envInteger(ENV.metricsPort, env[ENV.metricsPort], 0, 65535),
    metricsHost: nonEmptyString('metricsHost', o.metricsHost) ?? DEFAULTS.metricsHost,
    maxLabelSets: integer('maxLabelSets', o.maxLabelSets, 1, 1_000_000) ?? DEFAULTS.maxLabelSets,
    defaultMetrics: (o.defaultMetrics as boolean | undefined) ?? DEFAULTS.defaultMetrics,
    readinessTimeoutMs: integer('readinessTimeoutMs', o.readinessTimeoutMs, 1, 600_000) ?? DEFAULTS.readinessTimeoutMs,
    syslog,
    tracing: tracingMode(o.tracing),
    uncaughtExceptions: (o.uncaughtExceptions as boolean | undefined) ?? true,
    unhandledRejections: (o.unhandledRejections as boolean | undefined) ?? true,
    spansFile: nonEmptyString('spansFile', o.spansFile) ?? (env[ENV.spansFile] || undefined),
    spanExporters: exporterList(o.spanExporters),
    fileRotation: fileRotation(o.fileRotation, env),
    logBufferBytes: integer('logBufferBytes', o.logBufferBytes, 64 * 1024, Number.MAX_SAFE_INTEGER) ?? DEFAULTS.logBufferBytes,
    redact: stringList('redact', o.redact),
    redactQueryParams: stringList('redactQueryParams', o.redactQueryParams),
  });
}
