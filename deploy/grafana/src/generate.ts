/**
 * Writes every dashboard to deploy/grafana/dashboards/<uid>.json, deterministically.
 *
 *   node deploy/grafana/src/generate.ts          write the files
 *   node deploy/grafana/src/generate.ts --check  exit 1, naming each stale file, if any differs
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stableStringify } from './adapter/json.ts';
import { buildAll } from './dashboards/index.ts';

/** Folder of the committed dashboard JSON (what Grafana provisions). */
export const DASHBOARDS_DIR = fileURLToPath(new URL('../dashboards/', import.meta.url));

/** Every dashboard file's expected text, keyed by file name. */
export function renderAll(): Map<string, string> {
  return new Map([...buildAll()].map(([file, dashboard]) => [file, stableStringify(dashboard)]));
}

/** Names of files under `dir` that are missing, differ from, or are not in `rendered`. */
export function staleFiles(rendered: Map<string, string>, dir: string = DASHBOARDS_DIR): string[] {
  const present = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
  const stale = [...rendered].filter(([file, text]) => !present.includes(file) || readFileSync(join(dir, file), 'utf8') !== text).map(([file]) => file);
  const extra = present.filter((file) => !rendered.has(file));
  return [...stale, ...extra].sort();
}

function main(args: readonly string[]): number {
  const rendered = renderAll();
  if (args.includes('--check')) {
    const stale = staleFiles(rendered);
    for (const file of stale) console.error(`stale: deploy/grafana/dashboards/${file} - run npm run dashboards:generate`);
    return stale.length === 0 ? 0 : 1;
  }
  mkdirSync(DASHBOARDS_DIR, { recursive: true });
  for (const [file, text] of rendered) writeFileSync(join(DASHBOARDS_DIR, file), text);
  console.log(`wrote ${rendered.size} dashboards to deploy/grafana/dashboards/`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main(process.argv.slice(2));
