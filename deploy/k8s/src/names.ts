/**
 * Kubernetes object names derived from file names.
 */
import { GenerateError } from './errors.ts';

/** Turns a file's base name into a DNS-1123 label (lower case, `-` separated, at most 63 chars). */
export function dnsLabel(prefix: string, base: string): string {
  const name = `${prefix}-${base}`.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
  if (name.length === 0 || name.length > 63) {
    throw new GenerateError(`cannot derive a Kubernetes name from "${base}" (got "${name}", must be 1-63 characters)`);
  }
  return name;
}
