/**
 * One log line → one RFC 5424 syslog message (and its RFC 6587 octet-counted frame for TCP/TLS).
 *
 * The header is produced by glossy, the producer winston-syslog formats with, given our own PRI
 * (facility × 8 + severity: glossy cannot express facility 0 and rounds numeric severities). Two
 * of glossy's defects are corrected here rather than shipped: its TIMESTAMP writes milliseconds
 * without zero padding (5 ms becomes ".05", i.e. 50 ms) and appends the local UTC offset to UTC
 * fields when TZ is not UTC; and it only strips spaces from HOSTNAME and APP-NAME, which RFC 5424
 * limits to printable US-ASCII of at most 255 and 48 characters. The TIMESTAMP is the record's own
 * `time` (when the event happened, RFC 5424 section 6.2.3), the send time only when it has none.
 */
import { fitBody } from './body.js';
import type { Rfc5424Producer } from './load.js';
import { severityOf } from './severity.js';

/** Largest UDP payload over IPv4 (65 535 - 8 bytes UDP header - 20 bytes IP header, RFC 5426 3.2). */
export const MAX_UDP_PAYLOAD = 65_507;

/** How records become messages for one shipper. */
export interface MessageSettings {
  readonly producer: Rfc5424Producer;
  readonly appName: string;
  readonly hostname: string;
  readonly facility: number;
  /** Bytes a whole message (header and MSG, without the TCP length prefix) may have. */
  readonly maxMessageBytes: number;
  /** `octet-counting` for stream transports (RFC 6587 3.4.1), `none` for UDP (one message per datagram). */
  readonly framing: 'octet-counting' | 'none';
}

/** A message ready for the wire. */
export interface EncodedMessage {
  readonly bytes: Buffer;
  readonly truncated: boolean;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2})$/;
const TIME = /"time":"([^"]{10,40})"/;
const HEADER_TIMESTAMP = /^(<\d{1,3}>1) \S+ /;

/** Replaces what RFC 5424 does not allow in a header field (printable US-ASCII, no space) and caps its length. */
export function headerField(value: string, maxLength: number): string {
  const clean = value.replace(/[^\x21-\x7e]/g, '_').slice(0, maxLength);
  return clean === '' ? '-' : clean;
}

function timestampOf(line: string): string {
  const m = TIME.exec(line);
  return m && RFC3339.test(m[1]!) ? m[1]! : new Date().toISOString();
}

function header(settings: MessageSettings, severity: number, timestamp: string): string {
  const produced = settings.producer.produce({
    prival: settings.facility * 8 + severity,
    host: settings.hostname,
    appName: settings.appName,
    pid: String(process.pid),
    date: new Date(),
    message: '-',
  });
  if (produced === false) throw new Error('glossy could not produce an RFC 5424 header');
  // glossy writes "<header> <message>"; the placeholder message "-" is cut off, the space kept.
  return produced.slice(0, -1).replace(HEADER_TIMESTAMP, `$1 ${timestamp} `);
}

/**
 * Encodes one JSON line, or returns `undefined` when it cannot be made to fit (counted as dropped).
 * The MSG part is the JSON object itself, without a BOM, so a collector stores it byte for byte.
 */
export function encodeMessage(settings: MessageSettings, jsonLine: string): EncodedMessage | undefined {
  const line = jsonLine.endsWith('\n') ? jsonLine.slice(0, -1) : jsonLine;
  const head = header(settings, severityOf(line), timestampOf(line));
  const body = fitBody(line, settings.maxMessageBytes - Buffer.byteLength(head));
  if (!body) return undefined;
  const message = Buffer.from(head + body.text, 'utf8');
  if (settings.framing === 'none') return { bytes: message, truncated: body.truncated };
  const prefix = Buffer.from(`${message.length} `, 'ascii');
  return { bytes: Buffer.concat([prefix, message]), truncated: body.truncated };
}
