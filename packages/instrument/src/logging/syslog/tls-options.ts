/**
 * The TLS settings of a `tls://` syslog target, checked once when options are resolved: PEM text,
 * bytes or a file path read now (a later read error would only show as an outage), each
 * certificate parsed, and the certificate, key and passphrase tried together, so a wrong file is
 * an error that names the option at start-up instead of a silent loss of every log line later.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { createSecureContext } from 'node:tls';
import type { ConnectionOptions } from 'node:tls';
import { optionTypeError, optionValueError } from '../../core/errors.js';
import type { SyslogTlsOptions } from '../../types.js';
import type { SyslogAddress } from './url.js';

/** TLS options as the shipper hands them to `tls.connect`. */
export type ResolvedTls = Readonly<Pick<ConnectionOptions, 'ca' | 'cert' | 'key' | 'passphrase' | 'servername'>> & {
  readonly rejectUnauthorized: boolean;
};

const KEYS: readonly (keyof SyslogTlsOptions)[] = ['ca', 'cert', 'key', 'passphrase', 'rejectUnauthorized', 'servername'];
const CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]+?-----END [A-Z ]*PRIVATE KEY-----/;

/** PEM text from a string of PEM, its bytes, or a file path; `what` names the PEM expected. */
function pemText(option: string, value: unknown, what: string): string {
  const expected = `${what} as PEM text, a Buffer, or the path of a readable PEM file`;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (typeof value !== 'string') throw optionTypeError(option, value, expected);
  if (value.includes('-----BEGIN')) return value;
  if (value.trim() === '') throw optionValueError(option, value, expected);
  try {
    return readFileSync(value, 'utf8');
  } catch (err) {
    throw optionValueError(option, value, `${expected} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/** The certificates of one PEM source, each parsed (so a corrupt one is caught now). */
function certificates(option: string, value: unknown, what: string): string[] {
  const found = pemText(option, value, what).match(CERTIFICATE) ?? [];
  if (found.length === 0) throw optionValueError(option, value, `${what} (no "-----BEGIN CERTIFICATE-----" block found)`);
  for (const pem of found) {
    try {
      new X509Certificate(pem);
    } catch (err) {
      throw optionValueError(option, value, `${what} (${(err as Error).message})`);
    }
  }
  return found;
}

function privateKey(option: string, value: unknown): string {
  const text = pemText(option, value, 'a private key');
  if (!PRIVATE_KEY.test(text)) throw optionValueError(option, value, 'a private key (no "-----BEGIN ... PRIVATE KEY-----" block found)');
  return text;
}

/**
 * Resolves `syslog.tls` for `address`: `undefined` for TCP and UDP (where TLS settings are an
 * error), and for TLS the settings with their defaults (verify the collector, SNI = host name).
 * @throws TypeError / Error with `code: 'PERISCOPE_INVALID_OPTION'` naming `syslog.tls.<field>`.
 */
export function resolveTls(value: unknown, address: SyslogAddress, option = 'syslog.tls'): ResolvedTls | undefined {
  if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    throw optionTypeError(option, value, `an object { ${KEYS.join(', ')} }`);
  }
  if (address.protocol !== 'tls') {
    if (value === undefined) return undefined;
    throw optionValueError(option, value, `no TLS settings for a ${address.protocol}:// target (use tls://host:port)`);
  }
  const o = (value ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!(KEYS as readonly string[]).includes(key)) throw optionValueError(`${option}.${key}`, o[key], `one of ${KEYS.join(', ')}`);
  }
  const ca = o.ca === undefined ? undefined : (Array.isArray(o.ca) ? o.ca : [o.ca]).flatMap((v) => certificates(`${option}.ca`, v, 'CA certificates'));
  if (ca?.length === 0) throw optionValueError(`${option}.ca`, o.ca, 'at least one CA certificate');
  if ((o.cert === undefined) !== (o.key === undefined)) {
    const missing = o.cert === undefined ? 'cert' : 'key';
    throw optionValueError(`${option}.${missing}`, undefined, `a ${missing === 'cert' ? 'client certificate' : 'private key'} when ${option}.${missing === 'cert' ? 'key' : 'cert'} is given (mutual TLS needs both)`);
  }
  const cert = o.cert === undefined ? undefined : certificates(`${option}.cert`, o.cert, 'a client certificate').join('\n');
  const key = o.key === undefined ? undefined : privateKey(`${option}.key`, o.key);
  if (o.passphrase !== undefined && typeof o.passphrase !== 'string') throw optionTypeError(`${option}.passphrase`, o.passphrase, 'a string');
  if (o.rejectUnauthorized !== undefined && typeof o.rejectUnauthorized !== 'boolean') {
    throw optionTypeError(`${option}.rejectUnauthorized`, o.rejectUnauthorized, 'a boolean');
  }
  if (o.servername !== undefined && (typeof o.servername !== 'string' || o.servername.trim() === '')) {
    throw optionTypeError(`${option}.servername`, o.servername, 'a non-empty host name');
  }
  const passphrase = o.passphrase as string | undefined;
  if (cert !== undefined) {
    try {
      createSecureContext({ cert, key, passphrase });
    } catch (err) {
      throw optionValueError(`${option}.key`, o.key, `the private key of ${option}.cert, with its passphrase if encrypted (${(err as Error).message})`);
    }
  }
  const servername = (o.servername as string | undefined) ?? (isIP(address.host) ? undefined : address.host);
  return Object.freeze({
    ...(ca ? { ca } : {}),
    ...(cert ? { cert, key } : {}),
    ...(passphrase !== undefined ? { passphrase } : {}),
    ...(servername !== undefined ? { servername } : {}),
    rejectUnauthorized: (o.rejectUnauthorized as boolean | undefined) ?? true,
  });
}
