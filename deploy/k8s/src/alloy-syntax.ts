/**
 * The Alloy configuration syntax, parsed once for everything that reads an Alloy config: the
 * Kubernetes generator lifts blocks out of deploy/alloy/config.alloy by their text, and the
 * container stack's checks (deploy/test/alloy/) read their attributes and references.
 *
 * Blocks (`name.sub "label" { ... }`), attributes (`name = expression`), and the component
 * references inside expressions (`loki.process.periscope.receiver`), as documented in
 * https://grafana.com/docs/alloy/latest/get-started/configuration-syntax/ (identifiers, blocks,
 * attributes, strings "..." and raw strings `...`, comments // and /* *\/). Expressions are not
 * evaluated: an attribute keeps its tokens, from which references and function calls are read.
 */

/** One lexical token. */
export interface Token {
  kind: 'ident' | 'string' | 'number' | 'punct';
  text: string;
  /** The string's value, for `string` tokens. */
  value?: string;
  line: number;
  /** Offsets of the token in the source: `source.slice(start, end)` is its text. */
  start: number;
  end: number;
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
  /** The whole block as written, from its name to its closing brace. */
  text: string;
  /** The source between its braces. */
  body: string;
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
      tokens.push({ kind: 'string', text: src.slice(i, end), value, line, start: i, end });
      i = end;
    } else if (c === '`') {
      const end = src.indexOf('`', i + 1);
      if (end < 0) throw new AlloySyntaxError('unterminated raw string', line);
      const value = src.slice(i + 1, end);
      tokens.push({ kind: 'string', text: src.slice(i, end + 1), value, line, start: i, end: end + 1 });
      line += value.split('\n').length - 1;
      i = end + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      tokens.push({ kind: 'ident', text: m[0], line, start: i, end: i + m[0].length });
      i += m[0].length;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9][0-9_]*(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(src.slice(i))!;
      tokens.push({ kind: 'number', text: m[0], line, start: i, end: i + m[0].length });
      i += m[0].length;
    } else {
      const p = PUNCT.find((op) => src.startsWith(op, i));
      if (!p) throw new AlloySyntaxError(`unexpected character ${JSON.stringify(c)}`, line);
      tokens.push({ kind: 'punct', text: p, line, start: i, end: i + p.length });
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
  readonly #src: string;

  constructor(src: string) {
    this.#src = src;
    this.#t = tokenize(src);
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
    const open = this.#expect('{');
    const { attributes, blocks } = this.body(false);
    const close = this.#expect('}');
    const text = this.#src.slice(first.start, close.end);
    return { name, label, attributes, blocks, line: first.line, text, body: this.#src.slice(open.end, close.start) };
  }
}

/** Parses a whole config into its top-level blocks (and attributes, which a config should not have). */
export function parseAlloy(src: string): { attributes: Attribute[]; blocks: Block[] } {
  return new Parser(src).body(true);
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
    if (tokens[i + 1]?.text === '=' || tokens[i + 1]?.text === ':') continue;
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

/** The top-level blocks of a config, in file order. */
export function parseBlocks(src: string): Block[] {
  return parseAlloy(src).blocks;
}

/** Component references (`loki.process.x.receiver`) in a block's `forward_to` list. */
export function forwardTargets(block: Block): string[] {
  const forward = block.attributes.find((a) => a.name === 'forward_to');
  return forward ? references(forward.tokens).filter((r) => !r.call).map((r) => r.path) : [];
}

/** Every string attribute `name` of a block and of the blocks inside it, in file order. */
function stringsNamed(block: Block, name: string): Array<{ value: string; line: number }> {
  const own = block.attributes.filter((a) => a.name === name && a.tokens.length === 1 && a.tokens[0]!.kind === 'string');
  return [...own.map((a) => ({ value: a.tokens[0]!.value!, line: a.line })), ...block.blocks.flatMap((b) => stringsNamed(b, name))]
    .sort((a, b) => a.line - b.line);
}

/** Values of `target_label = "..."` in a block (the labels a relabel block sets). */
export function targetLabels(block: Block): string[] {
  return stringsNamed(block, 'target_label').map((s) => s.value);
}

/** The block a reference such as `loki.process.containers.receiver` points at. */
export function referencedBlock(blocks: readonly Block[], ref: string): Block | undefined {
  return blocks.find((b) => b.label !== undefined && ref.startsWith(`${b.name}.${b.label}.`));
}

/** One `rule { ... }` of a relabel block, with its string and list-of-string attributes. */
export type RelabelRule = Record<string, string | string[]>;

/** The `rule` blocks of a relabel block, in order, with their string and list-of-string attributes decoded. */
export function relabelRules(block: Block): RelabelRule[] {
  return block.blocks.filter((b) => b.name === 'rule').map((rule) => {
    const decoded: RelabelRule = {};
    for (const { name, tokens } of rule.attributes) {
      const strings = tokens.filter((t) => t.kind === 'string').map((t) => t.value!);
      if (tokens[0]?.text === '[') decoded[name] = strings;
      else if (tokens.length === 1 && tokens[0]!.kind === 'string') decoded[name] = strings[0]!;
    }
    return decoded;
  });
}

/** The reference a block's attribute `name` holds (`targets = discovery.docker.x.targets`), if it is one. */
export function attributeReference(block: Block, name: string): string | undefined {
  const attr = block.attributes.find((a) => a.name === name);
  const refs = attr ? references(attr.tokens) : [];
  return refs.length === 1 && !refs[0]!.call ? refs[0]!.path : undefined;
}
