/**
 * One log line → one RFC 5424 syslog message (and its RFC 6587 octet-counted frame for TCP/TLS).
 * The MSG part is the JSON object itself, without a BOM, so a collector stores it byte for byte.
 */
import { fitBody } from './body.js';
import { rfc5424Header, timestampOf } from './header.js';
import type { HeaderFields } from './header.js';
import { severityOf } from './severity.js';

/** How records become messages for one shipper. */
export interface MessageSettings extends HeaderFields {
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

/** Encodes one JSON line, or returns `undefined` when it cannot be made to fit (counted as dropped). */
export function encodeMessage(settings: MessageSettings, jsonLine: string): EncodedMessage | undefined {
  const line = jsonLine.endsWith('\n') ? jsonLine.slice(0, -1) : jsonLine;
  const head = rfc5424Header(settings, severityOf(line), timestampOf(line));
  const body = fitBody(line, settings.maxMessageBytes - Buffer.byteLength(head));
  if (!body) return undefined;
  const message = Buffer.from(head + body.text, 'utf8');
  if (settings.framing === 'none') return { bytes: message, truncated: body.truncated };
  const prefix = Buffer.from(`${message.length} `, 'ascii');
  return { bytes: Buffer.concat([prefix, message]), truncated: body.truncated };
}
