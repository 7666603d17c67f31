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

/**
 * A message ready for the wire. The frame stays a string until the socket writes it: a queue of
 * strings lives in the JS heap, which the garbage collector gives back once the queue drains,
 * where small Buffers would pin whole 8 KiB pool slabs of native memory (2.7 to 3.5 times the
 * queue's bytes, measured) that the process keeps after a collector outage.
 */
export interface EncodedMessage {
  /** The message, with its RFC 6587 length prefix when framed. */
  readonly frame: string;
  /** Size of `frame` in UTF-8 bytes. */
  readonly bytes: number;
  readonly truncated: boolean;
}

/** Encodes one JSON line, or returns `undefined` when it cannot be made to fit (counted as dropped). */
export function encodeMessage(settings: MessageSettings, jsonLine: string): EncodedMessage | undefined {
  const line = jsonLine.endsWith('\n') ? jsonLine.slice(0, -1) : jsonLine;
  const head = rfc5424Header(settings, severityOf(line), timestampOf(line));
  const body = fitBody(line, settings.maxMessageBytes - Buffer.byteLength(head));
  if (!body) return undefined;
  const message = head + body.text;
  const messageBytes = Buffer.byteLength(head) + body.bytes;
  if (settings.framing === 'none') return { frame: message, bytes: messageBytes, truncated: body.truncated };
  const prefix = `${messageBytes} `;
  return { frame: prefix + message, bytes: prefix.length + messageBytes, truncated: body.truncated };
}
