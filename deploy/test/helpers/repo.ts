/** Paths of the repository and readers for the deploy configs the tests check. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** The repository root. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The deploy folder. */
export const DEPLOY = join(ROOT, 'deploy');

/** Text of a file under the repository root. */
export function readText(relative: string): string {
  return readFileSync(join(ROOT, relative), 'utf8');
}

/** A YAML file under the repository root, parsed (with `<<` merge keys resolved, as Compose does). */
export function readYaml<T = Record<string, unknown>>(relative: string): T {
  return parse(readText(relative), { merge: true }) as T;
}

/** host and port of a URL or a `host:port` address. */
export function hostPort(address: string): { host: string; port: number } {
  const url = new URL(address.includes('://') ? address : `tcp://${address}`);
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  return { host: url.hostname, port };
}
