/**
 * Reading the environment. A telemetry variable never takes the service down: a value that
 * cannot be used is reported (one warning per variable, naming it, its value, what was expected
 * and the default used instead) and the default applies — as the OpenTelemetry SDK does. Options
 * given in code are different: they are checked in core/options.ts and throw.
 *
 * Like the SDK, an empty or blank variable counts as unset.
 */
import type { Logger } from 'pino';

/** A variable whose value was not used. */
export interface EnvWarning {
  /** The variable, e.g. `OTEL_TRACES_SAMPLER`. */
  readonly variable: string;
  /** Its value, as set. */
  readonly value: string;
  /** What a usable value looks like. */
  readonly expected: string;
  /** What is used instead, in words: the default, or what not using the value means. */
  readonly fallback: string;
}

const MAX_SHOWN = 200;

/** The warning's log message: `periscope: ignoring X="v" (expected …); using …`. */
export function envWarningMessage(w: EnvWarning): string {
  const shown = w.value.length > MAX_SHOWN ? `${w.value.slice(0, MAX_SHOWN - 3)}...` : w.value;
  return `periscope: ignoring ${w.variable}=${JSON.stringify(shown)} (expected ${w.expected}); using ${w.fallback}`;
}

/** Reads variables from one environment and collects the warnings, at most one per variable. */
export class EnvReader {
  private readonly list: EnvWarning[] = [];
  private readonly warned = new Set<string>();
  private readonly env: NodeJS.ProcessEnv;

  constructor(env: NodeJS.ProcessEnv) {
    this.env = env;
  }

  /** The warnings so far, in the order they were found. */
  get warnings(): readonly EnvWarning[] {
    return this.list;
  }

  /** The value as set, or `undefined` when the variable is unset, empty or blank. */
  string(variable: string): string | undefined {
    const raw = this.env[variable];
    return raw === undefined || raw.trim() === '' ? undefined : raw;
  }

  /** Records that `value` of `variable` is not used (once per variable). */
  warn(variable: string, value: string, expected: string, fallback: string): void {
    if (this.warned.has(variable)) return;
    this.warned.add(variable);
    this.list.push(Object.freeze({ variable, value, expected, fallback }));
  }

  /** An integer from `min` to `max`; otherwise a warning and `undefined` (the caller's default). */
  integer(variable: string, min: number, max: number, fallback: string): number | undefined {
    const raw = this.string(variable);
    if (raw === undefined) return undefined;
    const value = Number(raw.trim());
    if (Number.isInteger(value) && value >= min && value <= max) return value;
    this.warn(variable, raw, `an integer from ${min} to ${max}`, fallback);
    return undefined;
  }

  /** A number from `min` to `max` (inclusive); otherwise a warning and `undefined`. */
  number(variable: string, min: number, max: number, expected: string, fallback: string): number | undefined {
    const raw = this.string(variable);
    if (raw === undefined) return undefined;
    const value = Number(raw.trim());
    if (Number.isFinite(value) && value >= min && value <= max) return value;
    this.warn(variable, raw, expected, fallback);
    return undefined;
  }

  /** One of `values` (case and surrounding blanks ignored); otherwise a warning and `undefined`. */
  oneOf<T extends string>(variable: string, values: readonly T[], fallback: string): T | undefined {
    const raw = this.string(variable);
    if (raw === undefined) return undefined;
    const value = raw.trim().toLowerCase();
    const found = values.find((v) => v.toLowerCase() === value);
    if (found !== undefined) return found;
    this.warn(variable, raw, `one of ${values.join(', ')}`, fallback);
    return undefined;
  }

  /** `true` or `false` (case ignored); otherwise a warning and `false`, as the SDK reads booleans. */
  boolean(variable: string): boolean {
    return this.oneOf(variable, ['true', 'false'] as const, 'false (the default)') === 'true';
  }
}

/** Writes one `warn` line per warning, with the fields apart: `env: { name, value, default }`. */
export function logEnvWarnings(logger: Pick<Logger, 'warn'>, warnings: readonly EnvWarning[]): void {
  for (const w of warnings) {
    try {
      logger.warn({ env: { name: w.variable, value: w.value, default: w.fallback } }, envWarningMessage(w));
    } catch {
      // A logger that cannot write has nothing else to tell.
    }
  }
}
