/**
 * Parses PromQL with @prometheus-io/lezer-promql and LogQL with @grafana/lezer-logql (the
 * parsers Grafana's own editors use) and reads what the checks need from the syntax tree:
 * error positions, metric names, counters outside `rate()`, and range windows.
 */
import { parser as logqlParser } from '@grafana/lezer-logql';
import type { LRParser } from '@lezer/lr';
import type { SyntaxNode, Tree } from '@lezer/common';
import { parser as promqlParser } from '@prometheus-io/lezer-promql';
import type { Language } from './extract.ts';

const PARSERS: Readonly<Record<Language, LRParser>> = { promql: promqlParser, logql: logqlParser };

/** Suffixes of series that only grow: meaningful only through `rate()`/`increase()`. */
export const COUNTER_SUFFIXES: readonly string[] = Object.freeze(['_total', '_count', '_sum', '_bucket']);

/** Functions that turn a counter's range into a meaningful value. */
const COUNTER_FUNCTIONS = new Set(['rate', 'irate', 'increase']);

/** Functions whose window should be `$__rate_interval` in a dashboard. */
export const RATE_FUNCTIONS: ReadonlySet<string> = new Set(['rate', 'irate']);

function parse(language: Language, expr: string): Tree {
  return PARSERS[language].parse(expr);
}

/** Parse errors of `expr` as `offset N: "text"` strings; empty when it parses. */
export function syntaxErrors(language: Language, expr: string): string[] {
  const errors: string[] = [];
  parse(language, expr).iterate({
    enter(node) {
      if (node.type.isError) errors.push(`offset ${node.from}: ${JSON.stringify(expr.slice(Math.max(0, node.from - 10), node.to + 10))}`);
    },
  });
  return errors;
}

function promqlNodes(expr: string, name: string): SyntaxNode[] {
  const nodes: SyntaxNode[] = [];
  parse('promql', expr).iterate({
    enter(node) {
      if (node.name === name) nodes.push(node.node);
    },
  });
  return nodes;
}

function text(expr: string, node: SyntaxNode | null): string {
  return node ? expr.slice(node.from, node.to) : '';
}

/** The metric name a vector selector names, by identifier or `__name__="…"` matcher. */
function selectorMetric(expr: string, selector: SyntaxNode): string | undefined {
  const id = selector.getChild('Identifier');
  if (id) return text(expr, id);
  const matcher = /__name__\s*=\s*"([^"]+)"/.exec(text(expr, selector));
  return matcher?.[1];
}

/** Every metric name a PromQL expression selects, sorted, without duplicates. */
export function metricNames(expr: string): string[] {
  const names = promqlNodes(expr, 'VectorSelector').map((s) => selectorMetric(expr, s)).filter((n): n is string => n !== undefined);
  return [...new Set(names)].sort();
}

/** The function called with `node` somewhere in its argument, if `node` is a matrix selector's. */
function enclosingFunction(expr: string, node: SyntaxNode): string | undefined {
  const matrix = node.parent?.name === 'MatrixSelector' ? node.parent : undefined;
  const call = matrix?.parent?.parent;
  if (!matrix || call?.name !== 'FunctionCall') return undefined;
  return text(expr, call.getChild('FunctionIdentifier'));
}

/** Whether `node` is the direct argument of `count(...)`, which counts series, not values. */
function countedSeries(expr: string, node: SyntaxNode): boolean {
  const aggregate = node.parent?.name === 'FunctionCallBody' ? node.parent.parent : undefined;
  return aggregate?.name === 'AggregateExpr' && text(expr, aggregate.getChild('AggregateOp')) === 'count';
}

/**
 * Counters (by name suffix; recording rules excepted) selected without `rate()`, `irate()` or
 * `increase()` around them. Counting a counter's series (`count(x_total)`) is allowed.
 */
export function countersOutsideRate(expr: string): string[] {
  const bad = promqlNodes(expr, 'VectorSelector').filter((selector) => {
    const name = selectorMetric(expr, selector);
    if (!name || name.includes(':') || !COUNTER_SUFFIXES.some((s) => name.endsWith(s))) return false;
    return !COUNTER_FUNCTIONS.has(enclosingFunction(expr, selector) ?? '') && !countedSeries(expr, selector);
  });
  return bad.map((s) => text(expr, s));
}

/** Windows of every `rate()`/`irate()` call, as written (e.g. `$__rate_interval`, `5m`). */
export function rateWindows(expr: string): string[] {
  return promqlNodes(expr, 'MatrixSelector')
    .filter((matrix) => {
      const call = matrix.parent?.parent;
      return call?.name === 'FunctionCall' && RATE_FUNCTIONS.has(text(expr, call.getChild('FunctionIdentifier')));
    })
    .map((matrix) => {
      const inside = text(expr, matrix);
      return inside.slice(inside.lastIndexOf('[') + 1, inside.lastIndexOf(']')).trim();
    });
}
