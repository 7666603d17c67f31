/**
 * The access line's JSON in one native step. pino builds a line key by key in JavaScript (about
 * half the cost of an access line); the access line is a plain object of strings, numbers and
 * one nested object, for which a single `JSON.stringify` gives the same bytes. Installed on
 * Periscope's own access logger only, through pino's `asJson` hook, so pino still does
 * everything around it (levels, time, bindings, multistream metadata, hooks).
 *
 * Where the two could differ, pino's own path writes the line: a message other than the access
 * message, an `err` field (its serializer), a logger that formats or redacts lines or nests them
 * under a key, a subscriber to pino's diagnostics channel, an object with `toJSON`, and any
 * string that is not well-formed UTF-16 (`JSON.stringify` escapes lone surrogates, pino's short-
 * string path does not).
 */
import { tracingChannel } from 'node:diagnostics_channel';
import pino from 'pino';
import type { Logger } from 'pino';
import { ACCESS_MESSAGE } from '../core/names.js';

type AsJson = (this: Logger, obj: Record<string, unknown>, msg: unknown, num: number, time: string) => string;
type Internals = Logger & Record<symbol, unknown>;

const S = pino.symbols;
const asJsonChannel = tracingChannel('pino_asJson');
/** Lone surrogates come out of `JSON.stringify` as `\udXXX` escapes; a line containing one takes pino's path. */
const SURROGATE_ESCAPE = '\\ud';

function onlyErrSerializer(logger: Internals): boolean {
  const serializers = logger[S.serializersSym] as object;
  return Object.keys(serializers).every((k) => k === 'err') && Object.getOwnPropertySymbols(serializers).length === 0;
}

function redacts(logger: Internals): boolean {
  const stringifiers = logger[S.stringifiersSym] as Record<string | symbol, unknown> | undefined;
  return stringifiers !== undefined && (Object.keys(stringifiers).length > 0 || stringifiers[S.wildcardFirstSym] !== undefined);
}

/**
 * Installs the one-step serializer on `logger` (a pino logger that neither redacts nor has
 * serializers besides `err`).
 * @returns false, leaving the logger as it was, when it does not qualify.
 */
export function fastAccessLines(logger: Logger): boolean {
  const internals = logger as Internals;
  const original = internals[S.asJsonSym] as AsJson | undefined;
  if (typeof original !== 'function' || !onlyErrSerializer(internals) || redacts(internals)) return false;
  const msgJson = `,${JSON.stringify(internals[S.messageKeySym])}:${JSON.stringify(ACCESS_MESSAGE)}`;
  const asJson: AsJson = function accessAsJson(this: Logger, obj, msg, num, time) {
    const self = this as Internals;
    if (
      msg !== ACCESS_MESSAGE ||
      obj.err !== undefined ||
      typeof obj.toJSON === 'function' ||
      (self[S.formattersSym] as { log?: unknown }).log !== undefined ||
      self[S.nestedKeySym] ||
      asJsonChannel.hasSubscribers
    ) {
      return original.call(this, obj, msg, num, time);
    }
    let body: string;
    try {
      body = JSON.stringify(obj);
    } catch {
      return original.call(this, obj, msg, num, time);
    }
    if (body.includes(SURROGATE_ESCAPE)) return original.call(this, obj, msg, num, time);
    const fields = body.length > 2 ? `,${body.slice(1, -1)}` : '';
    return `${(self[S.lsCacheSym] as Record<number, string>)[num]}${time}${self[S.chindingsSym] as string}${fields}${msgJson}${self[S.endSym] as string}`;
  };
  internals[S.asJsonSym] = asJson;
  return true;
}
