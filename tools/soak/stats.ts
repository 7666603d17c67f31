/** Small statistics over samples: percentiles and rounding for the report. */

/** The `p`-th percentile (0–100) of `values`, nearest-rank; `NaN` for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** The median of `values`; `NaN` for none. */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** `value` rounded to `digits` decimals (`NaN` stays `NaN`). */
export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
