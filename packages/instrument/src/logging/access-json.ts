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
import type { Logger } from 'pino';
import { ACCESS_MESSAGE } from '../core/names.js';
import { pinoInternal, setPinoInternal, wildcardRedactor } from './pino-internals.js';
import type { AsJson } from './pino-internals.js';

const asJsonChannel = tracingChannel('pino_asJson');
/** Lone surrogates come out of `JSON.stringify` as `\udXXX` escapes; a line containing one takes pino's path. */
const SURROGATE_ESCAPE = '\\ud';

function onlyErrSerializer(logger: Logger): boolean {
  const serializers = pinoInternal(logger, 'serializersSym') ?? {};
  return Object.keys(serializers).every((k) => k === 'err') && Object.getOwnPropertySymbols(serializers).length === 0;
}

function redacts(logger: Logger): boolean {
  const stringifiers = pinoInternal(logger, 'stringifiersSym');
  return stringifiers !== undefined && (Object.keys(stringifiers).length > 0 || wildcardRedactor(stringifiers) !== undefined);
}

/**
 * Installs the one-step serializer on `logger` (a pino logger that neither redacts nor has
 * serializers besides `err`).
 * @returns false, leaving the logger as it was, when it does not qualify.
 */
export function fastAccessLines(logger: Logger): boolean {
  const original = pinoInternal(logger, 'asJsonSym');
  if (typeof original !== 'function' || !onlyErrSerializer(logger) || redacts(logger)) return false;
  const msgJson = `,${JSON.stringify(pinoInternal(logger, 'messageKeySym'))}:${JSON.stringify(ACCESS_MESSAGE)}`;
  const asJson: AsJson = function accessAsJson(this: Logger, obj, msg, num, time) {
    if (
      msg !== ACCESS_MESSAGE ||
      obj.err !== undefined ||
      typeof obj.toJSON === 'function' ||
      pinoInternal(this, 'formattersSym')?.log !== undefined ||
      pinoInternal(this, 'nestedKeySym') ||
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
    return `${pinoInternal(this, 'lsCacheSym')![num]}${time}${pinoInternal(this, 'chindingsSym')}${fields}${msgJson}${pinoInternal(this, 'endSym')}`;
  };
  setPinoInternal(logger, 'asJsonSym', asJson);
  return true;
}
