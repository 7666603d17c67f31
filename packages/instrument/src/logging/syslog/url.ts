/**
 * The syslog collector's address, `tcp://host:port`, `tls://host:port` or `udp://host:port`,
 * checked once when shipping is turned on.
 */
import { optionTypeError, optionValueError } from '../../core/errors.js';

/** Transports a syslog URL can name. */
export type SyslogProtocol = 'tcp' | 'tls' | 'udp';

/** A parsed, validated syslog URL. */
export interface SyslogAddress {
  readonly protocol: SyslogProtocol;
  /** Host name or IP address (IPv6 without its brackets). */
  readonly host: string;
  readonly port: number;
}

const EXPECTED = 'a URL tcp://host:port, tls://host:port or udp://host:port (port 1-65535)';
const PROTOCOLS: readonly SyslogProtocol[] = ['tcp', 'tls', 'udp'];

/**
 * Parses and validates a syslog collector URL.
 *
 * @param url the URL, e.g. `tcp://alloy:1514`
 * @param option the option name to cite in errors (`syslog`, or the environment variable it came from)
 * @throws TypeError when `url` is not a string, Error when it is malformed; both carry
 *   `code: 'PERISCOPE_INVALID_OPTION'` and name the option, the value and what was expected.
 * @example parseSyslogUrl('udp://127.0.0.1:514') // { protocol: 'udp', host: '127.0.0.1', port: 514 }
 */
export function parseSyslogUrl(url: unknown, option = 'syslog'): SyslogAddress {
  if (typeof url !== 'string') throw optionTypeError(option, url, EXPECTED);
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw optionValueError(option, url, EXPECTED);
  }
  const protocol = parsed.protocol.replace(/:$/, '') as SyslogProtocol;
  // Only host and port are meaningful: a path, query, credentials or fragment is a typo to report.
  const extra = parsed.username || parsed.password || parsed.search || parsed.hash || (parsed.pathname !== '' && parsed.pathname !== '/');
  if (!PROTOCOLS.includes(protocol) || parsed.hostname === '' || parsed.port === '' || extra) {
    throw optionValueError(option, url, EXPECTED);
  }
  const port = Number(parsed.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw optionValueError(option, url, EXPECTED);
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  return Object.freeze({ protocol, host, port });
}
