/**
 * Places spans on the waterfall's time line: a bar is a range of whole character cells, and a
 * child's range is kept inside its parent's, so rounding (or clock skew between services) never
 * draws a child starting before or ending after its parent.
 */

/** A bar: cells `[from, to)` of a time line `width` cells wide; never empty. */
export interface Cells {
  from: number;
  to: number;
}

/** The time line of one trace: its first start and its length, in nanoseconds. */
export interface Timeline {
  t0: bigint;
  total: bigint;
  width: number;
}

/**
 * The cells of a span from `startNs` to `endNs`: from the cell its start falls in to the cell its
 * end falls in (exact integer arithmetic), at least one cell, within `parent` when given.
 */
export function cellsOf(startNs: bigint, endNs: bigint, line: Timeline, parent?: Cells): Cells {
  const w = BigInt(line.width);
  const offset = (ns: bigint) => (ns < line.t0 ? 0n : ns - line.t0);
  let from = line.total > 0n ? Number((offset(startNs) * w) / line.total) : 0;
  let to = line.total > 0n ? Number((offset(endNs) * w + line.total - 1n) / line.total) : line.width;
  const lo = parent?.from ?? 0;
  const hi = parent?.to ?? line.width;
  from = Math.min(Math.max(from, lo), hi - 1);
  to = Math.min(Math.max(to, from + 1), hi);
  return { from, to };
}

/** The bar as text: `width` characters, the span's cells filled. */
export function drawBar(cells: Cells, width: number): string {
  return `${' '.repeat(cells.from)}${'█'.repeat(cells.to - cells.from)}${' '.repeat(width - cells.to)}`;
}
