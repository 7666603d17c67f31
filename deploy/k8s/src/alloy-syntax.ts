/**
 * Just enough of the Alloy configuration syntax to lift blocks out of a config file: finds the
 * top-level blocks (`name "label" { ... }`) and the component references in a block's
 * `forward_to` list. Strings ("...", `...`) and comments (//, /* *\/) are skipped, so braces
 * inside regexes or templates do not confuse it.
 */
import { GenerateError } from './errors.ts';

/** A top-level block of an Alloy config. */
export interface AlloyBlock {
  /** Component or block name, e.g. `loki.process`. */
  name: string;
  /** The block label, e.g. `containers` (undefined for unlabelled blocks such as `logging`). */
  label: string | undefined;
  /** The whole block text, from its name to its closing brace. */
  text: string;
  /** The text between the braces. */
  body: string;
}

/** Index just past a string or comment starting at `i`, or `i` when none starts there. */
function skipLiteral(text: string, i: number): number {
  const c = text[i];
  if (c === '"') {
    let j = i + 1;
    while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
    return j + 1;
  }
  if (c === '`') return text.indexOf('`', i + 1) + 1 || text.length;
  if (c === '/' && text[i + 1] === '/') {
    const end = text.indexOf('\n', i);
    return end === -1 ? text.length : end;
  }
  if (c === '/' && text[i + 1] === '*') {
    const end = text.indexOf('*/', i + 2);
    return end === -1 ? text.length : end + 2;
  }
  return i;
}

/** Index of the brace closing the one at `open`. */
function matchingBrace(text: string, open: number): number {
  let depth = 0;
  let i = open;
  while (i < text.length) {
    const skipped = skipLiteral(text, i);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    if (text[i] === '{') depth++;
    if (text[i] === '}' && --depth === 0) return i;
    i++;
  }
  throw new GenerateError(`unbalanced braces in Alloy config from offset ${open}`);
}

const HEADER = /([A-Za-z_][A-Za-z0-9_.]*)\s*(?:"((?:[^"\\]|\\.)*)")?\s*\{/y;

/** The top-level blocks of an Alloy config, in file order. */
export function parseBlocks(text: string): AlloyBlock[] {
  const blocks: AlloyBlock[] = [];
  let i = 0;
  while (i < text.length) {
    const skipped = skipLiteral(text, i);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    if (/\s/.test(text[i] as string)) {
      i++;
      continue;
    }
    HEADER.lastIndex = i;
    const header = HEADER.exec(text);
    if (!header) throw new GenerateError(`unexpected text in Alloy config at offset ${i}: ${JSON.stringify(text.slice(i, i + 40))}`);
    const open = i + header[0].length - 1;
    const close = matchingBrace(text, open);
    blocks.push({ name: header[1] as string, label: header[2], text: text.slice(i, close + 1), body: text.slice(open + 1, close) });
    i = close + 1;
  }
  return blocks;
}

/** The text with comments removed and string contents kept (so references can be matched). */
function withoutComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const skipped = skipLiteral(text, i);
    if (skipped === i) {
      out += text[i];
      i++;
      continue;
    }
    if (text[i] === '"' || text[i] === '`') out += text.slice(i, skipped);
    i = skipped;
  }
  return out;
}

/** Component references (`loki.process.x.receiver`) in a block's top-level `forward_to` lists. */
export function forwardTargets(block: AlloyBlock): string[] {
  const body = withoutComments(block.body);
  const targets: string[] = [];
  for (const match of body.matchAll(/\bforward_to\s*=\s*\[([^\]]*)\]/g)) {
    for (const item of (match[1] as string).split(',')) {
      const ref = item.trim();
      if (ref !== '') targets.push(ref);
    }
  }
  return targets;
}

/** Values of `target_label = "..."` in a block (the labels a relabel block sets). */
export function targetLabels(block: AlloyBlock): string[] {
  return [...withoutComments(block.body).matchAll(/\btarget_label\s*=\s*"([^"]*)"/g)].map((m) => m[1] as string);
}

/** The block a reference such as `loki.process.containers.receiver` points at. */
export function referencedBlock(blocks: readonly AlloyBlock[], ref: string): AlloyBlock | undefined {
  return blocks.find((b) => b.label !== undefined && ref.startsWith(`${b.name}.${b.label}.`));
}

/** One `rule { ... }` of a relabel block, with its string and list-of-string attributes. */
export type RelabelRule = Record<string, string | string[]>;

/** The `rule` blocks of a relabel block, in order, with their attributes decoded. */
export function relabelRules(block: AlloyBlock): RelabelRule[] {
  const rules: RelabelRule[] = [];
  const body = block.body;
  for (const match of body.matchAll(/\brule\s*\{/g)) {
    const open = (match.index as number) + match[0].length - 1;
    const inner = body.slice(open + 1, matchingBrace(body, open));
    const rule: RelabelRule = {};
    for (const attr of withoutComments(inner).matchAll(/\b([a-z_]+)\s*=\s*("(?:[^"\\]|\\.)*"|\[[^\]]*\])/g)) {
      const raw = attr[2] as string;
      rule[attr[1] as string] = raw.startsWith('[')
        ? [...raw.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((s) => JSON.parse(`"${s[1]}"`) as string)
        : (JSON.parse(raw) as string);
    }
    rules.push(rule);
  }
  return rules;
}

/** The value of a top-level `name = reference` attribute of a block (e.g. `targets`). */
export function attributeReference(block: AlloyBlock, name: string): string | undefined {
  return new RegExp(`\\b${name}\\s*=\\s*([A-Za-z_][A-Za-z0-9_.]*)`).exec(withoutComments(block.body))?.[1];
}
