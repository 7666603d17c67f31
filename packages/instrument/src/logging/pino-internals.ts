/**
 * Every piece of pino's internal state that Periscope reads or replaces, in one place.
 *
 * `pino.symbols` is public (pino's docs: "for integration purposes with ecosystem and third-party
 * libraries"), but what a logger holds under each symbol is not: its shape can change in any
 * release. So pino is pinned to the version tested (package.json), each use goes through this
 * module, and test/pino-internals.test.ts fails, naming the symbol, when an upgrade changes one.
 * {@link PINO_INTERNALS} is the list that test checks.
 */
import pino from 'pino';
import type { Logger } from 'pino';

/** pino's `asJson(obj, msg, num, time)`: one line's JSON, from the merged object to the newline. */
export type AsJson = (this: Logger, obj: Record<string, unknown>, msg: unknown, num: number, time: string) => string;

/** pino's serializer of a primitive or an object (`safe-stable-stringify`'s), with its options. */
export type Stringify = (value: unknown, safe?: unknown) => string;

/** What each symbol holds on a logger, as this module reads it. */
export interface PinoInternalShapes {
  /** The line serializer (replaced by access-json.ts). */
  asJsonSym: AsJson;
  /** The serializers given, by key. */
  serializersSym: object;
  /** Redaction's stringifiers by path; empty when nothing is redacted. */
  stringifiersSym: Record<string | symbol, unknown>;
  /** Under `stringifiersSym`: the redactor of wildcard paths (`*.password`). */
  wildcardFirstSym: (value: unknown) => string;
  /** The line's start for each level number: `{"level":"info"`. */
  lsCacheSym: Record<number, string>;
  /** The bindings as JSON text: `,"service":"users",...`. */
  chindingsSym: string;
  /** The line's end: `}` and the newline. */
  endSym: string;
  /** The `messageKey` option. */
  messageKeySym: string;
  /** The formatters (`level`, `bindings`, `log`). */
  formattersSym: { log?: unknown };
  /** The `nestedKey` option (null when lines are not nested). */
  nestedKeySym: string | null;
  /** The serializer of values. */
  stringifySym: Stringify;
  /** Its fallback for values the fast path cannot serialize (circular objects), passed to it. */
  stringifySafeSym: unknown;
}

/** A symbol Periscope uses, and the `typeof` of what a logger holds under it. */
export type PinoInternal = keyof PinoInternalShapes;

/**
 * The symbols Periscope uses and what it expects under each (`typeof`), for the guard test.
 * `wildcardFirstSym` lives inside `stringifiersSym`, and only on a logger with a wildcard path.
 */
export const PINO_INTERNALS = Object.freeze({
  asJsonSym: 'function',
  serializersSym: 'object',
  stringifiersSym: 'object',
  wildcardFirstSym: 'function',
  lsCacheSym: 'object',
  chindingsSym: 'string',
  endSym: 'string',
  messageKeySym: 'string',
  formattersSym: 'object',
  nestedKeySym: 'object',
  stringifySym: 'function',
  stringifySafeSym: 'function',
} as const satisfies Record<PinoInternal, string>);

type Slots = Record<symbol, unknown>;
const S = pino.symbols as unknown as Record<PinoInternal, symbol>;

/** What `logger` holds under `name`'s symbol (`undefined` when pino no longer keeps it there). */
export function pinoInternal<K extends PinoInternal>(logger: Logger, name: K): PinoInternalShapes[K] | undefined {
  return (logger as unknown as Slots)[S[name]] as PinoInternalShapes[K] | undefined;
}

/** Replaces what `logger` holds under `name`'s symbol (on the logger itself, not its prototype). */
export function setPinoInternal<K extends PinoInternal>(logger: Logger, name: K, value: PinoInternalShapes[K]): void {
  (logger as unknown as Slots)[S[name]] = value;
}

/** The wildcard redactor among `stringifiers`, when there is one. */
export function wildcardRedactor(stringifiers: PinoInternalShapes['stringifiersSym']): PinoInternalShapes['wildcardFirstSym'] | undefined {
  const found = stringifiers[S.wildcardFirstSym];
  return typeof found === 'function' ? (found as PinoInternalShapes['wildcardFirstSym']) : undefined;
}

/** Replaces the wildcard redactor among `stringifiers`. */
export function setWildcardRedactor(stringifiers: PinoInternalShapes['stringifiersSym'], redact: PinoInternalShapes['wildcardFirstSym']): void {
  stringifiers[S.wildcardFirstSym] = redact;
}

/** The symbol pino keeps `name` under, `undefined` when `pino.symbols` no longer has it (for the guard test). */
export function pinoSymbol(name: PinoInternal): symbol | undefined {
  return (pino.symbols as unknown as Partial<Record<string, symbol>>)[name];
}
