/**
 * The logging room's options, checked once when `instrument()` is called: the logger (or the
 * level, file and stdout of the one Periscope builds), the buffer bound, redaction, and syslog
 * shipping over `PERISCOPE_SYSLOG_URL` (its fields are checked in syslog/options.ts).
 */
import type { Logger } from 'pino';
import type { EnvReader } from '../core/env.js';
import { optionTypeError, optionValueError } from '../core/errors.js';
import { ENV } from '../core/names.js';
import { boolean, integer, nonEmptyString, stringList } from '../core/options.js';
import type { OptionInput } from '../core/options.js';
import type { LogLevel } from '../types.js';
import { resolveSyslogOptions } from './syslog/options.js';
import type { SyslogConfig } from './syslog/options.js';
import { parseSyslogUrl } from './syslog/url.js';

export interface LoggingOptions {
  readonly logger: Logger | undefined;
  readonly logLevel: LogLevel;
  readonly logFile: string | undefined;
  readonly stdout: boolean;
  /** Most bytes of log lines held for stdout, and for the log file, while it cannot keep up. */
  readonly logBufferBytes: number;
  readonly redact: readonly string[];
  readonly redactQueryParams: readonly string[];
}

/** Syslog shipping, resolved apart: its APP-NAME defaults to the service name. */
export interface SyslogShipping {
  /** The collector, the TLS settings and the bounds, settled; `undefined` when shipping is off. */
  readonly syslog: SyslogConfig | undefined;
}

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'fatal'];

/** Frozen defaults; the environment and the caller's options override them. */
export const LOGGING_DEFAULTS = Object.freeze({
  logLevel: 'info' as LogLevel,
  logBufferBytes: 16 * 1024 * 1024,
});

function isLogger(value: unknown): value is Logger {
  const v = value as Record<string, unknown> | null;
  return typeof v === 'object' && v !== null && typeof v.info === 'function' && typeof v.child === 'function';
}

/** `logLevel`: the option (checked), else `PERISCOPE_LOG_LEVEL` when it is a level, else `info`. */
function logLevelOf(value: unknown, env: EnvReader): LogLevel {
  if (value !== undefined) {
    if (!LOG_LEVELS.includes(value as LogLevel)) throw optionValueError('logLevel', value, `one of ${LOG_LEVELS.join(', ')}`);
    return value as LogLevel;
  }
  return env.oneOf(ENV.logLevel, LOG_LEVELS, `${LOGGING_DEFAULTS.logLevel} (the default)`) ?? LOGGING_DEFAULTS.logLevel;
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

/** `syslog`; `service` is its APP-NAME when `syslog.appName` is not given. */
export function resolveSyslogShipping({ options: o, env, check }: OptionInput, service: string): SyslogShipping {
  return { syslog: check(() => syslogConfig(o.syslog, service, env), undefined) };
}

export function resolveLoggingOptions({ options: o, env, check }: OptionInput): LoggingOptions {
  const logLevel = check(() => logLevelOf(o.logLevel, env), LOGGING_DEFAULTS.logLevel);
  check(() => {
    if (o.logger !== undefined && !isLogger(o.logger)) throw optionTypeError('logger', o.logger, 'a pino logger (an object with info() and child())');
  }, undefined);
  return {
    logger: o.logger as Logger | undefined,
    logLevel,
    stdout: check(() => boolean('stdout', o.stdout, true), true),
    logFile: check(() => nonEmptyString('logFile', o.logFile), undefined) ?? env.string(ENV.logFile),
    logBufferBytes: check(() => integer('logBufferBytes', o.logBufferBytes, 64 * 1024, Number.MAX_SAFE_INTEGER), undefined) ?? LOGGING_DEFAULTS.logBufferBytes,
    redact: check(() => stringList('redact', o.redact), []),
    redactQueryParams: check(() => stringList('redactQueryParams', o.redactQueryParams), []),
  };
}
