/**
 * W3C Baggage (`baggage` header) as a TextMapPropagator:
 *
 *   baggage-string = list-member 0*179( OWS "," OWS list-member )
 *   list-member    = key OWS "=" OWS value *( OWS ";" OWS property )
 *   property       = key OWS "=" OWS value / key OWS
 *   key            = token (RFC 9110)
 *   value          = *baggage-octet, a percent-encoded UTF-8 string
 *
 * Repeated `baggage` fields are combined (RFC 9110). A malformed member (bad key, a character
 * outside baggage-octet, a broken percent-escape, a bad property) is dropped on its own; the rest
 * is kept and the request goes on. Limits: the spec asks every platform to carry at least 64
 * members and 8192 bytes; Periscope carries exactly that much, whole members only, in order.
 * Every member dropped, malformed or past a limit, is counted (dropped.ts).
 * Values are percent-decoded when read and percent-encoded when sent; properties are passed on as
 * entry metadata. Duplicate keys: the last one wins (as in OpenTelemetry's Baggage).
 */
import { baggageEntryMetadataFromString, propagation } from '@opentelemetry/api';
import type { BaggageEntry, Context, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import { HEADER } from '../../core/names.js';
import { combined, trimOws } from './tracestate.js';
import { countDropped } from './dropped.js';

export const BAGGAGE = HEADER.baggage;
export const MAX_BAGGAGE_MEMBERS = 64;
export const MAX_BAGGAGE_BYTES = 8192;

/** RFC 9110 `token`. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** `baggage-octet = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E`. */
const OCTETS = /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/;

/** A property, trimmed, or `undefined` when malformed. */
function property(raw: string): string | undefined {
  const eq = raw.indexOf('=');
  if (eq === -1) {
    const key = trimOws(raw);
    return TOKEN.test(key) ? key : undefined;
  }
  const key = trimOws(raw.slice(0, eq));
  const value = trimOws(raw.slice(eq + 1));
  return TOKEN.test(key) && OCTETS.test(value) ? `${key}=${value}` : undefined;
}

/** One list-member as `[key, entry]`, or `undefined` when malformed. */
export function parseBaggageMember(member: string): [string, BaggageEntry] | undefined {
  const semi = member.indexOf(';');
  const pair = semi === -1 ? member : member.slice(0, semi);
  const props = semi === -1 ? [] : member.slice(semi + 1).split(';');
  const eq = pair.indexOf('=');
  if (eq === -1) return undefined;
  const key = trimOws(pair.slice(0, eq));
  const raw = trimOws(pair.slice(eq + 1));
  if (!TOKEN.test(key) || !OCTETS.test(raw)) return undefined;
  let value = raw;
  if (raw.includes('%')) {
    try {
      value = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
  }
  const properties: string[] = [];
  for (const p of props) {
    const parsed = property(p);
    if (parsed === undefined) return undefined;
    properties.push(parsed);
  }
  const entry: BaggageEntry = properties.length > 0 ? { value, metadata: baggageEntryMetadataFromString(properties.join(';')) } : { value };
  return [key, entry];
}

/** The member as sent: the value percent-encoded; metadata only when it is valid property syntax. */
function formatMember(key: string, entry: BaggageEntry): string | undefined {
  if (!TOKEN.test(key) || typeof entry.value !== 'string') return undefined;
  let out = `${key}=${encodeURIComponent(entry.value)}`;
  const meta = entry.metadata?.toString();
  if (meta) {
    const props = meta.split(';').map(property);
    if (props.every((p) => p !== undefined)) out += `;${props.join(';')}`;
  }
  return out;
}

/** W3C Baggage as a TextMapPropagator (see the module comment). */
export class BaggagePropagator implements TextMapPropagator {
  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const bag = propagation.getBaggage(context);
    if (!bag || isTracingSuppressed(context)) return;
    const members: string[] = [];
    let bytes = 0;
    for (const [key, entry] of bag.getAllEntries()) {
      if (members.length === MAX_BAGGAGE_MEMBERS) break;
      const member = formatMember(key, entry);
      if (member === undefined) continue;
      const size = member.length + (members.length > 0 ? 1 : 0);
      if (bytes + size > MAX_BAGGAGE_BYTES) continue;
      members.push(member);
      bytes += size;
    }
    if (members.length > 0) setter.set(carrier, BAGGAGE, members.join(','));
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const raw = combined(getter.get(carrier, BAGGAGE));
    if (!raw) return context;
    const entries: Record<string, BaggageEntry> = {};
    let count = 0;
    let bytes = 0;
    let dropped = 0;
    for (const part of raw.split(',')) {
      const member = trimOws(part);
      if (member === '') continue;
      const size = member.length + (count > 0 ? 1 : 0);
      const parsed = count === MAX_BAGGAGE_MEMBERS || bytes + size > MAX_BAGGAGE_BYTES ? undefined : parseBaggageMember(member);
      if (parsed === undefined) {
        dropped++;
        continue;
      }
      entries[parsed[0]] = parsed[1];
      count++;
      bytes += size;
    }
    if (dropped > 0) countDropped(BAGGAGE, dropped);
    if (count === 0) return context;
    return propagation.setBaggage(context, propagation.createBaggage(entries));
  }

  fields(): string[] {
    return [BAGGAGE];
  }
}
