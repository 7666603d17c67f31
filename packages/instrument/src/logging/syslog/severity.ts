/**
 * Syslog severity (RFC 5424 section 6.2.1) of a pino JSON line, from its `level`.
 *
 * The words are the package's level names; the numbers are pino's, for a caller's own logger
 * that writes numeric levels. `warn` is syslog's `warning`, as winston-syslog maps it; `fatal`
 * (the process cannot go on) is `crit`, not `emerg`, which RFC 5424 keeps for "system is unusable".
 */

/** RFC 5424 severities by name. */
export const SEVERITY = Object.freeze({
  emerg: 0,
  alert: 1,
  crit: 2,
  error: 3,
  warning: 4,
  notice: 5,
  info: 6,
  debug: 7,
} as const);

const BY_WORD: Readonly<Record<string, number>> = Object.freeze({
  trace: SEVERITY.debug,
  debug: SEVERITY.debug,
  info: SEVERITY.info,
  warn: SEVERITY.warning,
  error: SEVERITY.error,
  fatal: SEVERITY.crit,
});

const LEVEL = /"level":(?:"([a-z]+)"|(\d+))/;

/** pino's numeric levels: 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal. */
function fromNumber(n: number): number {
  if (n >= 60) return SEVERITY.crit;
  if (n >= 50) return SEVERITY.error;
  if (n >= 40) return SEVERITY.warning;
  if (n >= 30) return SEVERITY.info;
  return SEVERITY.debug;
}

/**
 * The severity of one JSON log line; `notice` when the line carries no level we know.
 * Reads the first `"level":` of the line without parsing all of it (pino writes it first).
 */
export function severityOf(jsonLine: string): number {
  const m = LEVEL.exec(jsonLine);
  if (!m) return SEVERITY.notice;
  if (m[1] !== undefined) return BY_WORD[m[1]] ?? SEVERITY.notice;
  return fromNumber(Number(m[2]));
}
