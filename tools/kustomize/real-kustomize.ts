/**
 * The real kustomize, when this machine has one: `kubectl kustomize` (kustomize v5 built into
 * kubectl). The subset in this folder is checked against it; without it, that check is skipped.
 */
import { execFileSync } from 'node:child_process';
import { parseDocuments } from './render.ts';
import type { Resource } from './types.ts';

/** Lowest kustomize major version the comparison trusts (v5 dropped the legacy field names). */
const MIN_MAJOR = 5;

/** kubectl's kustomize version (`v5.5.0`), or why it cannot be used. */
export type RealKustomize = { available: true; version: string } | { available: false; reason: string };

/** Finds `kubectl` on PATH and checks that its built-in kustomize is v5 or newer. */
export function findRealKustomize(): RealKustomize {
  let text: string;
  try {
    text = execFileSync('kubectl', ['version', '--client', '-o', 'json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 });
  } catch {
    return { available: false, reason: 'kubectl is not on PATH' };
  }
  const version = (JSON.parse(text) as { kustomizeVersion?: string }).kustomizeVersion ?? '';
  const major = Number(/^v(\d+)\./.exec(version)?.[1]);
  if (!(major >= MIN_MAJOR)) return { available: false, reason: `kubectl's kustomize is "${version || 'unknown'}", expected v${MIN_MAJOR} or newer` };
  return { available: true, version };
}

/** Renders `dir` with `kubectl kustomize` and parses the stream. */
export function renderWithKubectl(dir: string): Resource[] {
  const text = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 60_000 });
  return parseDocuments(text, `kubectl kustomize ${dir}`) as unknown as Resource[];
}
