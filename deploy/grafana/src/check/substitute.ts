/**
 * Replaces Grafana's variables in a query the way Grafana does before sending it, so the
 * expression can be parsed or run: `$__rate_interval`, `$__interval`, `$__range`, `$__auto`,
 * and dashboard variables in their `$name`, `${name}`, `${name:format}` and `[[name]]` forms.
 */

/** Values used for Grafana's built-in interval variables when none are given. */
export const BUILTIN_DEFAULTS: Readonly<Record<string, string>> = Object.freeze({
  __rate_interval: '1m',
  __interval: '1m',
  __interval_ms: '60000',
  __range: '1h',
  __range_s: '3600',
  __range_ms: '3600000',
  __auto: '1m',
});

const VARIABLE = /\$\{([a-zA-Z_][a-zA-Z0-9_]*)(?::[a-zA-Z]+)?\}|\$([a-zA-Z_][a-zA-Z0-9_]*)|\[\[([a-zA-Z_][a-zA-Z0-9_]*)\]\]/g;

/** Names of the variables `expr` refers to (built-ins included), in order of appearance. */
export function referencedVariables(expr: string): string[] {
  return [...new Set([...expr.matchAll(VARIABLE)].map((m) => (m[1] ?? m[2] ?? m[3])!))];
}

/**
 * `expr` with every variable replaced by its value in `values` (or a built-in default).
 * Throws, naming the variable, when one has no value: a query that uses an undefined variable
 * would reach the datasource with a literal `$name`.
 */
export function substitute(expr: string, values: Readonly<Record<string, string>>): string {
  return expr.replace(VARIABLE, (_whole, braced?: string, plain?: string, bracketed?: string) => {
    const name = (braced ?? plain ?? bracketed)!;
    const value = values[name] ?? BUILTIN_DEFAULTS[name];
    if (value === undefined) throw new Error(`undefined variable "${name}" in ${JSON.stringify(expr)} - expected one of ${[...Object.keys(values), ...Object.keys(BUILTIN_DEFAULTS)].join(', ')}`);
    return value;
  });
}
