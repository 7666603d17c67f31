/**
 * The W3C `tracestate` header, validated as a whole (Trace Context Level 2, §3.3). OpenTelemetry's
 * own TraceState repairs a bad header (drops invalid members, keeps the first 32); the spec's
 * grammar instead makes such a header invalid, and an invalid `tracestate` is discarded entirely
 * while the `traceparent` is still honoured. An accepted header is passed on unchanged (Periscope
 * adds no vendor key) — a key that repeats included: the spec allows a participant to pass
 * duplicates on as they came or to drop one, and passing on loses nothing.
 */
import type { TraceState } from '@opentelemetry/api';

/** `list = list-member 0*31( OWS "," OWS list-member )`: at most 32 members. */
export const MAX_TRACESTATE_MEMBERS = 32;

/**
 * `key = ( lcalpha / DIGIT ) 0*255 ( keychar )`, `keychar = lcalpha / DIGIT / "_" / "-" / "*" /
 * "/" / "@"`: 1–256 characters, starting with a lowercase letter or a digit. Level 2 dropped Level
 * 1's `tenant "@" system` split, so an "@" may stand anywhere after the first character, any
 * number of times (`foo@`, `foo@@bar`, `a@b@c`); every Level 1 key is still valid.
 */
const KEY = /^[a-z0-9][a-z0-9_\-*/@]{0,255}$/;
/** `value = 0*255(chr) nblk-chr`; `chr = %x20 / nblk-chr`; `nblk-chr = %x21-2B / %x2D-3C / %x3E-7E`. */
const VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;

/** Strips OWS (spaces and horizontal tabs) from both ends. */
export function trimOws(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && (s.charCodeAt(start) === 0x20 || s.charCodeAt(start) === 0x09)) start++;
  while (end > start && (s.charCodeAt(end - 1) === 0x20 || s.charCodeAt(end - 1) === 0x09)) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/** The combined value of a header that may arrive as several fields (RFC 9110 §5.3: joined with commas). */
export function combined(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(',') : value;
}

/** An accepted `tracestate`: its members in order, immutable (each change returns a new one). */
export class W3CTraceState implements TraceState {
  constructor(private readonly members: readonly (readonly [string, string])[]) {}

  get(key: string): string | undefined {
    return this.members.find(([k]) => k === key)?.[1];
  }

  /** A modified key moves to the front (left), as the spec requires; an invalid key or value changes nothing. */
  set(key: string, value: string): W3CTraceState {
    if (!KEY.test(key) || !VALUE.test(value)) return this;
    const rest = this.members.filter(([k]) => k !== key);
    if (rest.length >= MAX_TRACESTATE_MEMBERS) rest.length = MAX_TRACESTATE_MEMBERS - 1;
    return new W3CTraceState([[key, value], ...rest]);
  }

  unset(key: string): W3CTraceState {
    return new W3CTraceState(this.members.filter(([k]) => k !== key));
  }

  /** The members as received, in order, without optional whitespace or empty members. */
  serialize(): string {
    return this.members.map(([k, v]) => `${k}=${v}`).join(',');
  }
}

/** What {@link readTracestate} returns for a header the spec makes invalid (rather than absent or empty). */
export const INVALID_TRACESTATE = Symbol('invalid tracestate');

/**
 * Reads a (combined) `tracestate` header: {@link INVALID_TRACESTATE} — discard it all — when any
 * member is malformed or there are more than 32 members; `undefined` when it is absent or holds no
 * members. Empty and whitespace-only members are allowed and not counted. A repeated key is kept
 * where it stands (`get` returns the first; `set` and `unset` replace or remove every copy).
 */
export function readTracestate(header: string | string[] | undefined): W3CTraceState | undefined | typeof INVALID_TRACESTATE {
  const raw = combined(header);
  if (raw === undefined) return undefined;
  const members: [string, string][] = [];
  for (const part of raw.split(',')) {
    const member = trimOws(part);
    if (member === '') continue;
    if (members.length === MAX_TRACESTATE_MEMBERS) return INVALID_TRACESTATE;
    const eq = member.indexOf('=');
    if (eq <= 0) return INVALID_TRACESTATE;
    const key = member.slice(0, eq);
    const value = member.slice(eq + 1);
    if (!KEY.test(key) || !VALUE.test(value)) return INVALID_TRACESTATE;
    members.push([key, value]);
  }
  return members.length > 0 ? new W3CTraceState(members) : undefined;
}

/**
 * Parses a (combined) `tracestate` header. Returns `undefined` — discard it all — when any member
 * is malformed or there are more than 32 members. Empty and whitespace-only members
 * are allowed and not counted; an empty header is accepted and yields no members.
 */
export function parseTracestate(header: string | string[] | undefined): W3CTraceState | undefined {
  const state = readTracestate(header);
  return state === INVALID_TRACESTATE ? undefined : state;
}
