/**
 * Checks a parsed YAML config against the keys its documentation lists. A schema is a tree of
 * known keys: `true` accepts any value below it, a nested object lists the keys allowed there,
 * and `[schema]` describes the items of a list.
 */

/** Known keys of a config section. */
export type KeySchema = true | { [key: string]: KeySchema } | [KeySchema];

/** Paths (`a.b[0].c`) of keys that the schema does not know. */
export function unknownKeys(value: unknown, schema: KeySchema, path = ''): string[] {
  if (schema === true || value === null || value === undefined) return [];
  if (Array.isArray(schema)) {
    if (!Array.isArray(value)) return [`${path}: expected a list`];
    return value.flatMap((item, i) => unknownKeys(item, schema[0], `${path}[${i}]`));
  }
  if (typeof value !== 'object' || Array.isArray(value)) return [`${path}: expected a mapping`];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, inner]) => {
    const at = path ? `${path}.${key}` : key;
    return key in schema ? unknownKeys(inner, schema[key]!, at) : [`${at}: not a documented key`];
  });
}

/** Reads `a.b.c` from nested objects. */
export function at(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), value);
}

/** Hours in a Prometheus/Loki duration such as `744h`, `31d` or `1w`. */
export function durationHours(text: string): number {
  const units: Record<string, number> = { m: 1 / 60, h: 1, d: 24, w: 168, y: 8760 };
  const parts = [...text.matchAll(/(\d+)([mhdwy])/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) throw new Error(`not a duration: ${text}`);
  return parts.reduce((sum, [, n, unit]) => sum + Number(n) * units[unit!]!, 0);
}
