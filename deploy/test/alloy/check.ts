/**
 * Structural check of an Alloy config against the documented schema: every block, argument and
 * inner block is known, required arguments are there, and every component reference names a
 * component of the file and a field that component exports.
 */
import { parseAlloy, references } from '../../k8s/src/alloy-syntax.ts';
import type { Block } from '../../k8s/src/alloy-syntax.ts';
import { COMPONENTS, CONFIG_BLOCKS, FUNCTIONS } from './schema.ts';
import type { BlockSchema } from './schema.ts';

/** A component instance found in the config, e.g. `loki.process.periscope`. */
export interface Component {
  id: string;
  block: Block;
}

function checkBlock(block: Block, schema: BlockSchema, where: string, problems: string[]): void {
  const seen = new Set<string>();
  for (const attr of block.attributes) {
    if (!(attr.name in schema.args)) problems.push(`${where}: unknown argument "${attr.name}" (line ${attr.line})`);
    if (seen.has(attr.name)) problems.push(`${where}: argument "${attr.name}" set twice (line ${attr.line})`);
    seen.add(attr.name);
  }
  for (const [arg, required] of Object.entries(schema.args)) {
    if (required && !seen.has(arg)) problems.push(`${where}: required argument "${arg}" missing`);
  }
  const counts = new Map<string, number>();
  for (const inner of block.blocks) {
    const innerSchema = schema.blocks?.[inner.name];
    const path = `${where} > ${inner.name}`;
    if (!innerSchema) {
      problems.push(`${where}: unknown block "${inner.name}" (line ${inner.line})`);
      continue;
    }
    counts.set(inner.name, (counts.get(inner.name) ?? 0) + 1);
    if (counts.get(inner.name)! > 1 && !innerSchema.repeatable) problems.push(`${path}: block may appear once`);
    checkBlock(inner, innerSchema, path, problems);
  }
}

function* allAttributes(block: Block): Generator<Block['attributes'][number]> {
  yield* block.attributes;
  for (const inner of block.blocks) yield* allAttributes(inner);
}

/** Checks `source`; returns the components found and the problems (empty when the config is sound). */
export function checkAlloy(source: string): { components: Component[]; problems: string[] } {
  const problems: string[] = [];
  const { attributes, blocks } = parseAlloy(source);
  for (const attr of attributes) problems.push(`top level: attribute "${attr.name}" outside any block (line ${attr.line})`);

  const components: Component[] = [];
  for (const block of blocks) {
    const config = CONFIG_BLOCKS[block.name];
    const component = COMPONENTS[block.name];
    if (config) {
      if (block.label !== undefined) problems.push(`${block.name}: a configuration block takes no label`);
      checkBlock(block, config, block.name, problems);
    } else if (component) {
      if (!block.label || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(block.label)) problems.push(`${block.name}: label ${JSON.stringify(block.label)} is not an identifier`);
      const id = `${block.name}.${block.label}`;
      if (components.some((c) => c.id === id)) problems.push(`${id}: declared twice`);
      components.push({ id, block });
      checkBlock(block, component, id, problems);
    } else {
      problems.push(`unknown component or block "${block.name}" (line ${block.line})`);
    }
  }

  // References: <component>.<label>.<export>, resolved against the components above.
  for (const { id, block } of components) {
    for (const attr of allAttributes(block)) {
      for (const ref of references(attr.tokens)) {
        if (ref.call) {
          if (!FUNCTIONS.has(ref.path)) problems.push(`${id}: unknown function ${ref.path}() (line ${ref.line})`);
          continue;
        }
        const target = components.find((c) => ref.path.startsWith(`${c.id}.`));
        if (!target) {
          problems.push(`${id}: reference ${ref.path} names no component of this file (line ${ref.line})`);
          continue;
        }
        const field = ref.path.slice(target.id.length + 1);
        if (!COMPONENTS[target.block.name]!.exports.includes(field)) {
          problems.push(`${id}: ${target.id} exports no field "${field}" (line ${ref.line})`);
        }
      }
    }
  }
  return { components, problems };
}
