/**
 * The output of a generator: files with their content, written or compared as a whole.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { stringify } from 'yaml';
import { fromRoot, GENERATED_HEADER } from './sources.ts';
import type { JsonObject } from './resources.ts';

/** One file a generator produces, path relative to the repo root. */
export interface GeneratedFile {
  path: string;
  content: string;
}

/** YAML text of a generated manifest, with the generated header and a line naming its source. */
export function manifestText(source: string, documents: readonly unknown[]): string {
  const body = documents.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
  return `${GENERATED_HEADER}\n# Source: ${source}\n${body}`;
}

/** A kustomization.yaml listing `files` (sorted) as resources. */
export function kustomizationFile(dir: string, what: string, files: readonly string[]): GeneratedFile {
  const doc = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [...files].sort() };
  return { path: `${dir}/kustomization.yaml`, content: manifestText(what, [doc]) };
}

/** Repo-relative paths of the files in `dir` whose names end with `suffix`, sorted. */
export function sourceFiles(root: string, dir: string, suffix: string): string[] {
  const abs = fromRoot(root, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs)
    .filter((name) => name.endsWith(suffix))
    .sort()
    .map((name) => `${dir}/${name}`);
}

/**
 * One manifest per source file (named after the object it holds) in `outDir`, plus the
 * kustomization listing them. `toObject` turns a source's path and text into the object.
 */
export function manifestPerSource(
  root: string,
  sources: readonly string[],
  outDir: string,
  toObject: (source: string, text: string) => JsonObject,
  what: string,
): GeneratedFile[] {
  const files = sources.map((source) => {
    const object = toObject(source, readFileSync(fromRoot(root, source), 'utf8'));
    const name = (object.metadata as { name: string }).name;
    return { path: `${outDir}/${name}.yaml`, content: manifestText(source, [object]) };
  });
  return [...files, kustomizationFile(outDir, what, files.map((f) => basename(f.path)))];
}
