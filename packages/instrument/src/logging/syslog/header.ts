/**
 * The RFC 5424 header (section 6), written here rather than by a library: it is one line of
 * fixed fields, and the producer winston-syslog uses (glossy) gets two of them wrong through its
 * documented API — it cannot express facility 0 (it treats 0 as "not given") and its TIMESTAMP
 * writes milliseconds without zero padding (5 ms becomes ".05", read as 50 ms) and appends the
 * local UTC offset to UTC fields when TZ is not UTC.
 *
 *   HEADER = PRI VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID, then SP SD SP MSG
 *   <134>1 2025-03-04T05:06:07.008Z host-1 users 4242 - - {"level":"info",...}
 *
 * PRI is facility × 8 + severity; TIMESTAMP is the record's own `time` (when the event happened,
 * section 6.2.3), the send time only when the record has no valid one; MSGID and
 * STRUCTURED-DATA are NILVALUE (`-`); header fields are printable US-ASCII without spaces, cut
 * to their maximum length (HOSTNAME 255, APP-NAME 48, PROCID 128).
 */

/** Largest UDP payload over IPv4 (65 535 - 8 bytes UDP header - 20 bytes IP header, RFC 5426 3.2). */
export const MAX_UDP_PAYLOAD = 65_507;

/** Smallest `maxMessageBytes`: room for a header and a shrunk record. */
export const MIN_MESSAGE_BYTES = 480;

/** Field lengths of RFC 5424 section 6. */
export const FIELD_MAX = Object.freeze({ hostname: 255, appName: 48, procId: 128 });

/** RFC 3339 as RFC 5424 restricts it (section 6.2.3): upper-case T and Z, at most 6 fraction digits. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2})$/;
const TIME = /"time":"([^"]{10,40})"/;

/** Replaces what RFC 5424 does not allow in a header field (printable US-ASCII, no space) and caps its length. */
export function headerField(value: string, maxLength: number): string {
  const clean = value.replace(/[^\x21-\x7e]/g, '_').slice(0, maxLength);
  return clean === '' ? '-' : clean;
}

/** The record's `time` when it is a valid RFC 5424 TIMESTAMP, otherwise now. */
export function timestampOf(jsonLine: string): string {
  const m = TIME.exec(jsonLine);
  return m && TIMESTAMP.test(m[1]!) ? m[1]! : new Date().toISOString();
}

/** What stays the same for every message of one shipper (already cleaned by {@link headerField}). */
export interface HeaderFields {
  readonly facility: number;
  readonly hostname: string;
  readonly appName: string;
  readonly procId: string;
}

/** The header and the separators before MSG: `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID - - `. */
export function rfc5424Header(fields: HeaderFields, severity: number, timestamp: string): string {
  return `<${fields.facility * 8 + severity}>1 ${timestamp} ${fields.hostname} ${fields.appName} ${fields.procId} - - `;
}
