/**
 * The `syslog` option, resolved once when `instrument()` is called: `false`, a URL string
 * (shorthand for `{ target }`), or the full object; `PERISCOPE_SYSLOG_URL` supplies the target
 * when none is given. Every field is checked here, and errors name the option path
 * (`syslog.queue.maxBytes`), the value and what was expected.
 */
import { hostname as osHostname } from 'node:os';
import { optionTypeError, optionValueError } from '../../core/errors.js';
import { ENV } from '../../core/names.js';
import type { SyslogFacility, SyslogOptions } from '../../types.js';
import { MAX_UDP_PAYLOAD, MIN_MESSAGE_BYTES } from './header.js';
import { resolveTls } from './tls-options.js';
import type { ResolvedTls } from './tls-options.js';
import { parseSyslogUrl } from './url.js';
import type { SyslogAddress } from './url.js';

/** Everything the shipper needs, settled and frozen. */
export interface SyslogConfig {
  readonly address: SyslogAddress;
  readonly appName: string;
  readonly hostname: string;
  readonly facility: number;
  readonly maxMessageBytes: number;
  readonly queue: { readonly maxRecords: number; readonly maxBytes: number };
  readonly reconnect: { readonly baseDelayMs: number; readonly maxDelayMs: number };
  readonly connectTimeoutMs: number;
  readonly keepAliveMs: number;
  readonly stallTimeoutMs: number;
  readonly tls: ResolvedTls | undefined;
}

/** Defaults of the optional fields. */
export const SYSLOG_DEFAULTS = Object.freeze({
  facility: 16,
  maxMessageBytes: 8_192,
  queue: Object.freeze({ maxRecords: 10_000, maxBytes: 8 * 1024 * 1024 }),
  reconnect: Object.freeze({ baseDelayMs: 200, maxDelayMs: 30_000 }),
  connectTimeoutMs: 5_000,
  keepAliveMs: 15_000,
  stallTimeoutMs: 10_000,
});

/** RFC 5424 section 6.2.1, in code order: the name's index is the facility number. */
const FACILITIES: readonly SyslogFacility[] = [
  'kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp', 'ntp', 'audit', 'alert', 'clock',
  'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7',
];

const KEYS: readonly (keyof SyslogOptions)[] = [
  'target', 'appName', 'hostname', 'facility', 'maxMessageBytes', 'queue', 'reconnect', 'connectTimeoutMs', 'keepAliveMs', 'stallTimeoutMs', 'tls',
];
const HOUR_MS = 3_600_000;
const MAX_STREAM_MESSAGE = 1024 * 1024;

function plainObject(option: string, value: unknown, expected: string): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw optionTypeError(option, value, expected);
  return value as Record<string, unknown>;
}

function onlyKeys(option: string, o: Record<string, unknown>, keys: readonly string[]): void {
  for (const key of Object.keys(o)) {
    if (!keys.includes(key)) throw optionValueError(`${option}.${key}`, o[key], `one of ${keys.join(', ')}`);
  }
}

function int(option: string, value: unknown, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const expected = `an integer from ${min} to ${max}`;
  if (typeof value !== 'number') throw optionTypeError(option, value, expected);
  if (!Number.isInteger(value) || value < min || value > max) throw optionValueError(option, value, expected);
  return value;
}

function text(option: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string') throw optionTypeError(option, value, 'a non-empty string');
  if (value.trim() === '') throw optionValueError(option, value, 'a non-empty string');
  return value;
}

function facility(value: unknown): number {
  if (value === undefined) return SYSLOG_DEFAULTS.facility;
  const expected = `a number from 0 to 23 or one of ${FACILITIES.join(', ')}`;
  if (typeof value === 'string' && FACILITIES.includes(value as SyslogFacility)) return FACILITIES.indexOf(value as SyslogFacility);
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 23) return value;
  if (typeof value !== 'string' && typeof value !== 'number') throw optionTypeError('syslog.facility', value, expected);
  throw optionValueError('syslog.facility', value, expected);
}

/** The object form, with the target already known (and where it came from, for errors). */
function resolveObject(o: Record<string, unknown>, target: unknown, targetOption: string, service: string): SyslogConfig {
  onlyKeys('syslog', o, KEYS);
  const address = parseSyslogUrl(target, targetOption);
  const maxMessageBytes = int('syslog.maxMessageBytes', o.maxMessageBytes, MIN_MESSAGE_BYTES, address.protocol === 'udp' ? MAX_UDP_PAYLOAD : MAX_STREAM_MESSAGE, SYSLOG_DEFAULTS.maxMessageBytes);

  const queue = plainObject('syslog.queue', o.queue, 'an object { maxRecords, maxBytes }');
  onlyKeys('syslog.queue', queue, ['maxRecords', 'maxBytes']);
  const maxRecords = int('syslog.queue.maxRecords', queue.maxRecords, 1, 10_000_000, SYSLOG_DEFAULTS.queue.maxRecords);
  const maxBytes = int('syslog.queue.maxBytes', queue.maxBytes, 1024, 2 ** 40, Math.max(SYSLOG_DEFAULTS.queue.maxBytes, maxMessageBytes));
  if (maxBytes < maxMessageBytes) {
    throw optionValueError('syslog.queue.maxBytes', maxBytes, `an integer of at least syslog.maxMessageBytes (${maxMessageBytes}), so one whole message fits`);
  }

  const reconnect = plainObject('syslog.reconnect', o.reconnect, 'an object { baseDelayMs, maxDelayMs }');
  onlyKeys('syslog.reconnect', reconnect, ['baseDelayMs', 'maxDelayMs']);
  const baseDelayMs = int('syslog.reconnect.baseDelayMs', reconnect.baseDelayMs, 1, HOUR_MS, SYSLOG_DEFAULTS.reconnect.baseDelayMs);
  const maxDelayMs = int('syslog.reconnect.maxDelayMs', reconnect.maxDelayMs, 1, HOUR_MS, Math.max(SYSLOG_DEFAULTS.reconnect.maxDelayMs, baseDelayMs));
  if (maxDelayMs < baseDelayMs) {
    throw optionValueError('syslog.reconnect.maxDelayMs', maxDelayMs, `an integer of at least syslog.reconnect.baseDelayMs (${baseDelayMs})`);
  }

  return Object.freeze({
    address,
    appName: text('syslog.appName', o.appName, service),
    hostname: text('syslog.hostname', o.hostname, osHostname()),
    facility: facility(o.facility),
    maxMessageBytes,
    queue: Object.freeze({ maxRecords, maxBytes }),
    reconnect: Object.freeze({ baseDelayMs, maxDelayMs }),
    connectTimeoutMs: int('syslog.connectTimeoutMs', o.connectTimeoutMs, 1, HOUR_MS, SYSLOG_DEFAULTS.connectTimeoutMs),
    keepAliveMs: int('syslog.keepAliveMs', o.keepAliveMs, 1_000, HOUR_MS, SYSLOG_DEFAULTS.keepAliveMs),
    stallTimeoutMs: int('syslog.stallTimeoutMs', o.stallTimeoutMs, 1, HOUR_MS, SYSLOG_DEFAULTS.stallTimeoutMs),
    tls: resolveTls(o.tls, address),
  });
}

const EXPECTED = 'false, a URL tcp://host:port, tls://host:port or udp://host:port, or an object { target, tls, queue, ... }';

/**
 * Resolves the `syslog` option against `PERISCOPE_SYSLOG_URL`; `undefined` when shipping is off.
 * @param service the APP-NAME used when `syslog.appName` is not given
 * @throws TypeError (wrong shape) or Error (bad value), both with `code: 'PERISCOPE_INVALID_OPTION'`.
 */
export function resolveSyslogOptions(value: unknown, service: string, env: NodeJS.ProcessEnv = process.env): SyslogConfig | undefined {
  if (value === false) return undefined;
  const envTarget = env[ENV.syslogUrl] || undefined;
  if (value === undefined) return envTarget === undefined ? undefined : resolveObject({}, envTarget, ENV.syslogUrl, service);
  if (typeof value === 'string') return resolveObject({}, value, 'syslog', service);
  const o = plainObject('syslog', value, EXPECTED);
  if (o.target !== undefined) return resolveObject(o, o.target, 'syslog.target', service);
  if (envTarget !== undefined) return resolveObject(o, envTarget, ENV.syslogUrl, service);
  throw optionValueError('syslog.target', undefined, `a URL tcp://host:port, tls://host:port or udp://host:port (or ${ENV.syslogUrl} set)`);
}
