/**
 * `instrument()`'s options, resolved once when it is called: defaults merged with the
 * environment and the caller's options. Each room parses and validates its own (core's, then
 * logging, metrics, health, exceptions, tracing, outbound propagation); this file only composes
 * them, in one pass, so every invalid option is thrown at once (core/problems.ts) and an unknown
 * one is named with the known option it looks like. Invalid variables become `warnings`.
 */
import { EnvReader } from './core/env.js';
import type { EnvWarning } from './core/env.js';
import { optionTypeError } from './core/errors.js';
import { resolveCoreOptions, resolveFileRotation, resolveTracingOptions, unknownOption } from './core/options.js';
import type { CoreOptions, OptionInput, TracingOptions } from './core/options.js';
import { tracingEnv } from './core/otel-env.js';
import type { TracingEnv } from './core/otel-env.js';
import { OptionProblems } from './core/problems.js';
import { resolveExceptionOptions } from './exceptions/options.js';
import type { ExceptionOptions } from './exceptions/options.js';
import { resolveHealthOptions } from './health/options.js';
import type { HealthOptions } from './health/options.js';
import { isInternalHost, resolvePropagationTargets } from './http/outbound-targets.js';
import type { HostMatcher } from './http/outbound-targets.js';
import { resolveLoggingOptions, resolveSyslogShipping } from './logging/options.js';
import type { LoggingOptions, SyslogShipping } from './logging/options.js';
import { resolveMetricsOptions } from './metrics/options.js';
import type { MetricsOptions } from './metrics/options.js';
import type { InstrumentOptions } from './types.js';

/** The options after defaults, environment and validation: every field is settled. */
export interface ResolvedOptions extends CoreOptions, LoggingOptions, SyslogShipping, MetricsOptions, HealthOptions, ExceptionOptions, TracingOptions {
  /** Whether an outbound call to a host may carry the request's context (`tracePropagationTargets`). */
  readonly tracePropagationTargets: HostMatcher;
  /** The `OTEL_*` variables of tracing, settled. */
  readonly otel: TracingEnv;
  /** Variables whose values were not used (logged once the logger exists). */
  readonly warnings: readonly EnvWarning[];
}

/**
 * Every option `instrument()` accepts: typed from {@link InstrumentOptions}, so an option added
 * there and not here (or the other way round) does not compile. The order is the one an unknown
 * option's message lists them in.
 */
const KNOWN_OPTIONS = {
  service: true, version: true, commit: true, logger: true, logLevel: true, logFile: true, stdout: true, metricsPort: true, metricsHost: true,
  maxLabelSets: true, defaultMetrics: true, readinessTimeoutMs: true, syslog: true, redact: true, redactQueryParams: true, tracing: true, spansFile: true,
  spanExporters: true, uncaughtExceptions: true, unhandledRejections: true, fileRotation: true, logBufferBytes: true, tracePropagationTargets: true,
} as const satisfies Record<keyof InstrumentOptions, true>;
const KNOWN: readonly string[] = Object.keys(KNOWN_OPTIONS);

/**
 * Merges defaults, the environment and `options`, and checks every value. Invalid variables
 * become `warnings`; invalid options are thrown, all at once.
 * @throws TypeError (wrong shape) or Error (bad value), both with `code: 'PERISCOPE_INVALID_OPTION'`;
 *   for several, one error listing each (its `errors` holds them).
 */
export function resolveOptions(options: unknown, processEnv: NodeJS.ProcessEnv = process.env): ResolvedOptions {
  if (options === undefined || options === null) options = {};
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw optionTypeError('options', options, 'an object');
  }
  const o = options as Record<string, unknown>;
  const env = new EnvReader(processEnv);
  const problems = new OptionProblems();
  for (const key of Object.keys(o)) {
    if (!KNOWN.includes(key)) problems.add(unknownOption(key, o[key], key, KNOWN));
  }
  const input: OptionInput = { options: o, env, check: problems.check.bind(problems) };

  // Room by room; syslog and the file rotation come late, as before, so the environment's
  // warnings are logged in the same order.
  const core = resolveCoreOptions(input, processEnv);
  const resolved: ResolvedOptions = Object.freeze({
    ...core,
    ...resolveLoggingOptions(input),
    ...resolveMetricsOptions(input),
    ...resolveHealthOptions(input),
    ...resolveExceptionOptions(input),
    ...resolveSyslogShipping(input, core.service),
    ...resolveTracingOptions(input),
    ...resolveFileRotation(input),
    tracePropagationTargets: input.check(() => resolvePropagationTargets(o.tracePropagationTargets), isInternalHost),
    otel: tracingEnv(env),
    warnings: env.warnings,
  });
  problems.throwIfAny();
  return resolved;
}
