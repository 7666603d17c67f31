/** Reads PromQL with the Prometheus project's own grammar (@prometheus-io/lezer-promql). */
import { parser } from '@prometheus-io/lezer-promql';

/** The metric names an expression selects (the names of its vector and matrix selectors). */
export function metricNames(expr: string): string[] {
  const names = new Set<string>();
  const errors: number[] = [];
  parser.parse(expr).iterate({
    enter(node) {
      if (node.type.isError) errors.push(node.from);
      if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector') names.add(expr.slice(node.from, node.to));
    },
  });
  if (errors.length > 0) throw new Error(`cannot parse PromQL at offset ${errors[0]}: ${expr}`);
  return [...names].sort();
}
