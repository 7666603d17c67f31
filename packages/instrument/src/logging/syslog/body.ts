/**
 * Fits a JSON log line into the bytes a syslog message has left for its MSG part.
 *
 * A syslog collector truncates or splits what is too long, and either breaks the JSON. Instead an
 * oversized record is shipped as a smaller JSON object that still parses: the contract's
 * correlation keys (time, level, service, request and trace IDs...), `msg` and `err.message`
 * shortened to fit, and `truncated: true` with the original size in `original_bytes`. The full
 * line is still on stdout. A line that is not JSON is cut at a UTF-8 character boundary.
 */
import { LOG_KEY } from '../../core/names.js';

/** Keys kept, in this order, when a record has to be shrunk. */
const KEPT: readonly string[] = [
  LOG_KEY.level, LOG_KEY.time, LOG_KEY.service, LOG_KEY.version, LOG_KEY.hostname, LOG_KEY.pid,
  LOG_KEY.requestId, LOG_KEY.traceId, LOG_KEY.spanId, LOG_KEY.traceFlags, LOG_KEY.logType, LOG_KEY.msg,
];

/** Key marking a shrunk record. */
export const TRUNCATED_KEY = 'truncated';
/** Key holding the size in bytes of the line before it was shrunk. */
export const ORIGINAL_BYTES_KEY = 'original_bytes';

/** Result of fitting one line. */
export interface FittedBody {
  readonly text: string;
  /** Size of `text` in UTF-8 bytes. */
  readonly bytes: number;
  readonly truncated: boolean;
}

/** The longest prefix of `text` of at most `maxBytes` UTF-8 bytes, never ending inside a character. */
export function cutUtf8(text: string, maxBytes: number): string {
  if (maxBytes <= 0) return '';
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= maxBytes) return text;
  let end = maxBytes;
  // Back off continuation bytes (10xxxxxx) so the cut falls on a character start.
  while (end > 0 && (buf[end]! & 0xc0) === 0x80) end--;
  return buf.subarray(0, end).toString('utf8');
}

function cut(line: string, maxBytes: number): FittedBody {
  const text = cutUtf8(line, maxBytes);
  return { text, bytes: Buffer.byteLength(text), truncated: true };
}

function shrinkString(value: string, overBy: number): string {
  const bytes = Buffer.byteLength(value);
  // JSON escaping can make the encoded string longer than its bytes; cut a margin more.
  return cutUtf8(value, Math.max(0, bytes - overBy - 8)) + '…';
}

function reduced(record: Record<string, unknown>, originalBytes: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of KEPT) if (record[key] !== undefined) out[key] = record[key];
  const err = record[LOG_KEY.err] as Record<string, unknown> | undefined;
  if (err && typeof err === 'object') out[LOG_KEY.err] = { type: err.type, message: err.message };
  out[TRUNCATED_KEY] = true;
  out[ORIGINAL_BYTES_KEY] = originalBytes;
  return out;
}

/**
 * Returns the line itself when it fits in `maxBytes`, a shrunk JSON object when it does not, or
 * `undefined` when not even the shrunk object fits (the caller drops and counts the record).
 */
export function fitBody(line: string, maxBytes: number): FittedBody | undefined {
  const size = Buffer.byteLength(line);
  if (size <= maxBytes) return { text: line, bytes: size, truncated: false };
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return cut(line, maxBytes);
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    return cut(line, maxBytes);
  }
  const out = reduced(record as Record<string, unknown>, size);
  // Shorten the free-text fields, longest first, until the object fits (a few rounds at most).
  for (let round = 0; round < 6; round++) {
    const text = JSON.stringify(out);
    const bytes = Buffer.byteLength(text);
    const overBy = bytes - maxBytes;
    if (overBy <= 0) return { text, bytes, truncated: true };
    const err = out[LOG_KEY.err] as { message?: unknown } | undefined;
    const msg = out[LOG_KEY.msg];
    const errMessage = err?.message;
    const msgLen = typeof msg === 'string' ? msg.length : 0;
    const errLen = typeof errMessage === 'string' ? errMessage.length : 0;
    if (msgLen <= 1 && errLen <= 1) return undefined;
    if (msgLen >= errLen) out[LOG_KEY.msg] = shrinkString(msg as string, overBy);
    else err!.message = shrinkString(errMessage as string, overBy);
  }
  return undefined;
}
