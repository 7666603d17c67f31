/**
 * JSON Patch (RFC 6902): `add`, `remove`, `replace`, `move`, `copy` and `test`, with JSON Pointer
 * paths (RFC 6901, `~0`/`~1` escapes, `-` for the end of an array).
 */
import { isObject, KustomizeError } from './types.ts';
import type { Json, JsonObject } from './types.ts';

/** One operation of a JSON patch. */
export interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  value?: Json;
  from?: string;
}

/** Returns `doc` with every operation applied in order; `doc` is not modified. */
export function applyJsonPatch(doc: JsonObject, operations: readonly JsonPatchOperation[]): JsonObject {
  let out: Json = structuredClone(doc);
  for (const operation of operations) out = applyOperation(out, operation);
  if (!isObject(out)) throw new KustomizeError('a JSON patch replaced the whole object with a non-object');
  return out;
}

function applyOperation(doc: Json, operation: JsonPatchOperation): Json {
  const { op, path } = operation;
  switch (op) {
    case 'add':
      return insert(doc, path, requireValue(operation));
    case 'remove':
      return remove(doc, path);
    case 'replace':
      return insert(remove(doc, path), path, requireValue(operation));
    case 'move': {
      const value = read(doc, requireFrom(operation));
      return insert(remove(doc, requireFrom(operation)), path, value);
    }
    case 'copy':
      return insert(doc, path, structuredClone(read(doc, requireFrom(operation))));
    case 'test':
      if (JSON.stringify(read(doc, path)) !== JSON.stringify(requireValue(operation))) {
        throw new KustomizeError(`JSON patch test failed at ${path}`);
      }
      return doc;
    default:
      throw new KustomizeError(`unknown JSON patch op "${String(op)}" (expected add, remove, replace, move, copy or test)`);
  }
}

function requireValue(operation: JsonPatchOperation): Json {
  if (operation.value === undefined) throw new KustomizeError(`JSON patch ${operation.op} at ${operation.path} has no value`);
  return structuredClone(operation.value);
}

function requireFrom(operation: JsonPatchOperation): string {
  if (operation.from === undefined) throw new KustomizeError(`JSON patch ${operation.op} at ${operation.path} has no from`);
  return operation.from;
}

/** Splits a JSON Pointer into unescaped tokens. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new KustomizeError(`JSON pointer "${pointer}" must start with "/"`);
  return pointer.slice(1).split('/').map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The container addressed by all but the last token, and that last token. */
function locate(doc: Json, pointer: string): { parent: Json; token: string } {
  const tokens = parsePointer(pointer);
  const token = tokens.pop();
  if (token === undefined) throw new KustomizeError('JSON patch on the whole document is not supported');
  let parent = doc;
  for (const t of tokens) parent = child(parent, t, pointer);
  return { parent, token };
}

function child(node: Json, token: string, pointer: string): Json {
  if (Array.isArray(node)) {
    const index = arrayIndex(node, token, pointer, false);
    return node[index] as Json;
  }
  if (isObject(node) && token in node) return node[token] as Json;
  throw new KustomizeError(`JSON pointer ${pointer}: "${token}" does not exist`);
}

function arrayIndex(list: Json[], token: string, pointer: string, forInsert: boolean): number {
  if (forInsert && token === '-') return list.length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw new KustomizeError(`JSON pointer ${pointer}: "${token}" is not an array index`);
  const index = Number(token);
  if (index > list.length || (!forInsert && index === list.length)) {
    throw new KustomizeError(`JSON pointer ${pointer}: index ${index} is out of range`);
  }
  return index;
}

function read(doc: Json, pointer: string): Json {
  let node = doc;
  for (const token of parsePointer(pointer)) node = child(node, token, pointer);
  return node;
}

function insert(doc: Json, pointer: string, value: Json): Json {
  const { parent, token } = locate(doc, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, token, pointer, true), 0, value);
  else if (isObject(parent)) parent[token] = value;
  else throw new KustomizeError(`JSON pointer ${pointer}: parent is not a container`);
  return doc;
}

function remove(doc: Json, pointer: string): Json {
  const { parent, token } = locate(doc, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, token, pointer, false), 1);
  else if (isObject(parent) && token in parent) delete parent[token];
  else throw new KustomizeError(`JSON pointer ${pointer}: "${token}" does not exist`);
  return doc;
}
