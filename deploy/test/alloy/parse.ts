/**
 * A parser for the Alloy configuration syntax, enough to check a config structurally without
 * running Alloy: blocks (`name.sub "label" { ... }`), attributes (`name = expression`), and the
 * component references inside expressions (`loki.process.periscope.receiver`).
 *
 * Syntax as documented in https://grafana.com/docs/alloy/latest/get-started/configuration-syntax/
 * (identifiers, blocks, attributes, strings "..." and raw strings `...`, comments // and /* *\/).
 * Expressions are not evaluated: an attribute keeps its tokens, from which references and
 * function calls are read.
 */

/** One lexical token. */
export interface Token {
  kind: 'ident' | 'string' | 'number' | 'punct';
  text: string;
  /** The string's value, for `string` tokens. */
  value?: string;
  line: number;
}

/** An attribute: `name = <tokens>`. */
export interface Attribute {
  name: string;
  tokens: Token[];
  line: number;
}

/** A block: `name "label" { attributes and blocks }`. */
export interface Block {
  name: string;
  label: string | undefined;
  attributes: Attribute[];
  blocks: Block[];
  line: number;
}

/** A syntax error with its line. */
export class AlloySyntaxError extends Error {
  constructor(message: string, line: number) {
    super(`line ${line}: ${message}`);
    this.name = 'AlloySyntaxError';
  }
}

const PUNCT = ['==', '!=', '<=', '>=', '&&', '||', '{', '}', '[', ']', '(', ')', '=', ',', '.', ':', '+', '-', '*', '/', '%', '^', '<', '>', '!'];

function readString(src: string, start: number, line: number): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  while (i < src.length && src[i] !== '"') {
    if (src[i] === '\n') throw new AlloySyntaxError('newline in string', line);
    if (src[i] === '\\') {
      const next = src[i + 1];
      value += next === 'n' ? '\n' : next === 't' ? '\t' : next;
      i += 2;
    } else {
      value += src[i++];
    }
  }
  if (i >= src.length) throw new AlloySyntaxError('unterminated string', line);
  return { value, end: i + 1 };
}

/** Splits Alloy source into tokens, dropping comments and whitespace. */
export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\n') {
      line++;
      i++;
    } else if (/\s/.test(c)) {
      i++;
    } else if (src.startsWith('//', i)) {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (src.startsWith('/*', i)) {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) throw new AlloySyntaxError('unterminated comment', line);
      line += src.slice(i, end).split('\n').length - 1;
      i = end + 2;
    } else if (c === '"') {
      const { value, end } = readString(src, i, line);
      tokens.push({ kind: 'string', text: src.slice(i, end), value, line });
      i = end;
    } else if (c === '`') {
      const end = src.indexOf('`', i + 1);
      if (end < 0) throw new AlloySyntaxError('unterminated raw string', line);
      const value = src.slice(i + 1, end);
      tokens.push({ kind: 'string', text: src.slice(i, end + 1), value, line });
      line += value.split('\n').length - 1;
      i = end + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      tokens.push({ kind: 'ident', text: m[0], line });
      i += m[0].length;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9][0-9_]*(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(src.slice(i))!;
      tokens.push({ kind: 'number', text: m[0], line });
      i += m[0].length;
    } else {
      const p = PUNCT.find((op) => src.startsWith(op, i));
      if (!p) throw new AlloySyntaxError(`unexpected character ${JSON.stringify(c)}`, line);
      tokens.push({ kind: 'punct', text: p, line });
      i += p.length;
    }
  }
  return tokens;
}

const OPEN: Record<string, string> = { '{': '}', '[': ']', '(': ')' };
const CONTINUES = new Set(['=', ',', '.', ':', '+', '-', '*', '/', '%', '^', '<', '>', '!', '==', '!=', '<=', '>=', '&&', '||', '(', '[', '{']);

class Parser {
  #i = 0;
  readonly #t: Token[];

  constructor(tokens: Token[]) {
    this.#t = tokens;
  }

  #peek(offset = 0): Token | undefined {
    return this.#t[this.#i + offset];
  }

  #expect(text: string): Token {
    const t = this.#t[this.#i];
    if (!t || t.text !== text) throw new AlloySyntaxError(`expected ${JSON.stringify(text)}, got ${t ? JSON.stringify(t.text) : 'end of file'}`, t?.line ?? 0);
    this.#i++;
    return t;
  }

  /** Statements until `}` (or the end of the file at top level). */
  body(topLevel: boolean): { attributes: Attribute[]; blocks: Block[] } {
    const attributes: Attribute[] = [];
    const blocks: Block[] = [];
    for (;;) {
      const t = this.#peek();
      if (!t) {
        if (!topLevel) throw new AlloySyntaxError('unexpected end of file: a block is not closed', this.#t.at(-1)?.line ?? 0);
        return { attributes, blocks };
      }
      if (t.text === '}' && !topLevel) return { attributes, blocks };
      if (t.kind !== 'ident') throw new AlloySyntaxError(`expected an attribute or a block, got ${JSON.stringify(t.text)}`, t.line);
      if (this.#peek(1)?.text === '=') attributes.push(this.#attribute());
      else blocks.push(this.#block());
    }
  }

  #attribute(): Attribute {
    const name = this.#t[this.#i]!;
    this.#i += 2; // name and '='
    const tokens: Token[] = [];
    const stack: string[] = [];
    for (;;) {
      const t = this.#peek();
      if (!t) break;
      const prev = tokens.at(-1);
      // At depth 0, an expression ends where a new line starts a new statement.
      if (stack.length === 0 && prev && t.line > prev.line && !CONTINUES.has(prev.text) && !['.', ')', ']', '}', ','].includes(t.text)) break;
      if (stack.length === 0 && t.text === '}') break;
      if (OPEN[t.text]) stack.push(OPEN[t.text]!);
      else if (t.text === '}' || t.text === ']' || t.text === ')') {
        if (stack.pop() !== t.text) throw new AlloySyntaxError(`unbalanced ${JSON.stringify(t.text)}`, t.line);
      }
      tokens.push(t);
      this.#i++;
    }
    if (tokens.length === 0) throw new AlloySyntaxError(`attribute "${name.text}" has no value`, name.line);
    if (stack.length) throw new AlloySyntaxError(`attribute "${name.text}": unclosed ${stack.join('')}`, name.line);
    return { name: name.text, tokens, line: name.line };
  }

  #block(): Block {
    const first = this.#t[this.#i++]!;
    let name = first.text;
    while (this.#peek()?.text === '.') {
      this.#i++;
      const part = this.#peek();
      if (part?.kind !== 'ident') throw new AlloySyntaxError(`bad block name after "${name}."`, first.line);
      name += `.${part.text}`;
      this.#i++;
    }
    let label: string | undefined;
    if (this.#peek()?.kind === 'string') label = this.#t[this.#i++]!.value;
    this.#expect('{');
    const { attributes, blocks } = this.body(false);
    this.#expect('}');
    return { name, label, attributes, blocks, line: first.line };
  }
}

/** Parses a whole config into its top-level blocks (and attributes, which a config should not have). */
export function parseAlloy(src: string): { attributes: Attribute[]; blocks: Block[] } {
  return new Parser(tokenize(src)).body(true);
}

/** A dotted name in an expression (`a.b.c`), and whether it is called like a function. */
export interface Reference {
  path: string;
  call: boolean;
  line: number;
}

/** Dotted names read in an attribute's tokens: component references and function calls. */
export function references(tokens: readonly Token[]): Reference[] {
  const refs: Reference[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'ident' || tokens[i - 1]?.text === '.') continue;
    // An object key (`key = value` inside `{ }`) is not a reference.
    if (tokens[i + 1]?.text === '=' || (tokens[i + 1]?.text === ':' )) continue;
    let path = t.text;
    let j = i + 1;
    while (tokens[j]?.text === '.' && tokens[j + 1]?.kind === 'ident') {
      path += `.${tokens[j + 1]!.text}`;
      j += 2;
    }
    if (['true', 'false', 'null'].includes(path)) continue;
    refs.push({ path, call: tokens[j]?.text === '(', line: t.line });
  }
  return refs;
}
