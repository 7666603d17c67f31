/**
 * Deterministic JSON: object keys sorted at every depth, two-space indent, final newline.
 * Array order is kept (it is meaningful: panels, targets, steps). The same dashboard always
 * serializes to the same bytes, so the committed files diff cleanly.
 */

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}

/** Serializes `value` with sorted keys, as committed under dashboards/. */
export function stableStringify(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}
