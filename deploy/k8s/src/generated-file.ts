/**
 * The output of a generator: files with their content, written or compared as a whole.
 */
import { stringify } from 'yaml';
import { GENERATED_HEADER } from './sources.ts';

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
