/**
 * What every room's options are checked with, and core's own options. Each room parses and
 * validates its options in its own `options.ts` (logging/, metrics/, health/, exceptions/; the
 * `tracePropagationTargets` matcher in http/outbound-targets.ts) from an {@link OptionInput};
 * `options.ts` beside `instrument.ts` composes them, once, when `instrument()` is called. Core
 * imports no room. Tracing's own options (the mode, the spans file, extra exporters) are parsed
 * here too, as are its `OTEL_*` variables in core/otel-env.ts.
 *
 * An invalid option is code: every one found is thrown at once (core/problems.ts). An invalid
 * variable is configuration: it is a warning and the default applies (core/env.ts), so the
 * environment never takes the service down.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import type { EnvReader } from './env.js';
import { ENV } from './names.js';
import { suggestName } from './suggest.js';
import { DEFAULT_ROTATION } from './rotating-file.js';
import type { RotationPolicy } from './rotating-file.js';
import { optionTypeError, optionValueError } from './errors.js';
import type { CodedError } from './errors.js';
import type { TracingMode } from '../types.js';

/** What a room's option parser reads: the caller's options, the environment, and the check that collects. */
export interface OptionInput {
  /** The options `instrument()` was given (an object; unknown keys were reported already). */
  readonly options: Readonly<Record<string, unknown>>;
  readonly env: EnvReader;
  /** Runs `check`; an invalid option it throws is kept (all are thrown together) and `fallback` returned. */
  check<T>(check: () => T, fallback: T): T;
}

export function nonEmptyString(option: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw optionTypeError(option, value, 'a non-empty string');
  if (value.trim() === '') throw optionValueError(option, value, 'a non-empty string');
  return value;
}

export function integer(option: string, value: unknown, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number') throw optionTypeError(option, value, `an integer from ${min} to ${max}`);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw optionValueError(option, value, `an integer from ${min} to ${max}`);
  }
  return value;
}

/** A boolean option: `value`, or `fallback` when it is absent. */
export function boolean(option: string, value: unknown, fallback: boolean): boolean {
  if (value !== undefined && typeof value !== 'boolean') throw optionTypeError(option, value, 'a boolean');
  return (value as boolean | undefined) ?? fallback;
}

export function stringList(option: string, value: unknown): readonly string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === '')) {
    throw optionTypeError(option, value, 'an array of non-empty strings');
  }
  return Object.freeze([...(value as string[])]);
}

/** An option nobody knows: names the closest known one when it looks like a slip. */
export function unknownOption(option: string, value: unknown, key: string, known: readonly string[]): CodedError {
  const suggestion = suggestName(key, known);
  return suggestion !== undefined
    ? optionValueError(option, value, `a known option; did you mean "${option.slice(0, option.length - key.length)}${suggestion}"?`)
    : optionValueError(option, value, `one of the known options: ${known.join(', ')}`);
}

/** Core's options: who the service is, which build, and how its local files are capped. */
export interface CoreOptions {
  readonly service: string;
  readonly version: string;
  readonly commit: string;
  /** Size cap and rotation of `logFile` and `spansFile`; `false` lets them grow. */
  readonly fileRotation: RotationPolicy | false;
}

/** Frozen defaults; the environment and the caller's options override them. */
export const CORE_DEFAULTS = Object.freeze({
  version: 'unknown',
  commit: 'unknown',
  service: 'unknown_service:node',
});

const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;
const SERVICE_EXPECTED = '1-128 characters of letters, digits and . _ : / -, starting with a letter or digit';

/** Name and version of the package in the working directory, when there is one. */
function appPackage(env: NodeJS.ProcessEnv): { name?: string; version?: string } {
  if (env.npm_package_name) return { name: env.npm_package_name, version: env.npm_package_version };
  try {
    const pkg = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
    return {
      name: typeof pkg.name === 'string' ? pkg.name : undefined,
      version: typeof pkg.version === 'string' ? pkg.version : undefined,
    };
  } catch {
    return {};
  }
}

/** `service`: the option (checked), else `OTEL_SERVICE_NAME`, else the package name, when usable. */
function serviceName(value: unknown, env: EnvReader, pkgName: string | undefined): string {
  const given = nonEmptyString('service', value);
  if (given !== undefined) {
    if (!SERVICE_NAME.test(given)) throw optionValueError('service', given, SERVICE_EXPECTED);
    return given;
  }
  const fromPackage = pkgName !== undefined && SERVICE_NAME.test(pkgName) ? pkgName : undefined;
  const fromEnv = env.string('OTEL_SERVICE_NAME');
  if (fromEnv !== undefined && SERVICE_NAME.test(fromEnv)) return fromEnv;
  if (fromEnv !== undefined) env.warn('OTEL_SERVICE_NAME', fromEnv, SERVICE_EXPECTED, fromPackage !== undefined ? `the package name "${fromPackage}"` : `"${CORE_DEFAULTS.service}"`);
  return fromPackage ?? CORE_DEFAULTS.service;
}

/** `fileRotation`: `false`, or `{ maxBytes?, maxFiles? }` over the defaults and `PERISCOPE_FILE_MAX_*`. */
function fileRotation(value: unknown, env: EnvReader): RotationPolicy | false {
  if (value === false) return false;
  if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    throw optionTypeError('fileRotation', value, 'false or an object { maxBytes?, maxFiles? }');
  }
  const o = (value ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (key !== 'maxBytes' && key !== 'maxFiles') throw unknownOption(`fileRotation.${key}`, o[key], key, ['maxBytes', 'maxFiles']);
  }
  return Object.freeze({
    maxBytes:
      integer('fileRotation.maxBytes', o.maxBytes, 1024, Number.MAX_SAFE_INTEGER) ??
      env.integer(ENV.fileMaxBytes, 1024, Number.MAX_SAFE_INTEGER, `${DEFAULT_ROTATION.maxBytes} (the default)`) ??
      DEFAULT_ROTATION.maxBytes,
    maxFiles: integer('fileRotation.maxFiles', o.maxFiles, 0, 1000) ?? env.integer(ENV.fileMaxFiles, 0, 1000, `${DEFAULT_ROTATION.maxFiles} (the default)`) ?? DEFAULT_ROTATION.maxFiles,
  });
}

/** Core's identity options over the environment (and the app's package.json, for the name and version). */
export function resolveCoreOptions({ options: o, env, check }: OptionInput, processEnv: NodeJS.ProcessEnv): Omit<CoreOptions, 'fileRotation'> {
  const pkg = appPackage(processEnv);
  return {
    service: check(() => serviceName(o.service, env, pkg.name), CORE_DEFAULTS.service),
    version: check(() => nonEmptyString('version', o.version), undefined) ?? env.string(ENV.version) ?? pkg.version ?? CORE_DEFAULTS.version,
    commit: check(() => nonEmptyString('commit', o.commit), undefined) ?? env.string(ENV.commit) ?? CORE_DEFAULTS.commit,
  };
}

/** `fileRotation` over `PERISCOPE_FILE_MAX_*`. */
export function resolveFileRotation({ options: o, env, check }: OptionInput): Pick<CoreOptions, 'fileRotation'> {
  return { fileRotation: check(() => fileRotation(o.fileRotation, env), false) };
}

/** Tracing's options (its `OTEL_*` variables are read by core/otel-env.ts). */
export interface TracingOptions {
  /** Tracing mode (`false`: off); `true` was resolved to `'auto'`. */
  readonly tracing: TracingMode | false;
  readonly spansFile: string | undefined;
  readonly spanExporters: readonly SpanExporter[];
}

const TRACING_MODES: readonly TracingMode[] = ['auto', 'own', 'global'];

/** `tracing`: `true` or absent → `'auto'`, `false` → off, else one of the modes. */
function tracingMode(value: unknown): TracingMode | false {
  if (value === undefined || value === true) return 'auto';
  if (value === false) return false;
  if (typeof value === 'string' && (TRACING_MODES as readonly string[]).includes(value)) return value as TracingMode;
  if (typeof value !== 'string') throw optionTypeError('tracing', value, `a boolean or one of ${TRACING_MODES.map((m) => `"${m}"`).join(', ')}`);
  throw optionValueError('tracing', value, `true, false or one of ${TRACING_MODES.map((m) => `"${m}"`).join(', ')}`);
}

function exporterList(value: unknown): readonly SpanExporter[] {
  if (value === undefined) return [];
  const ok = Array.isArray(value) && value.every((e) => typeof e === 'object' && e !== null && typeof (e as SpanExporter).export === 'function' && typeof (e as SpanExporter).shutdown === 'function');
  if (!ok) throw optionTypeError('spanExporters', value, 'an array of span exporters (objects with export() and shutdown())');
  return Object.freeze([...(value as SpanExporter[])]);
}

export function resolveTracingOptions({ options: o, env, check }: OptionInput): TracingOptions {
  return {
    tracing: check(() => tracingMode(o.tracing), false),
    spansFile: check(() => nonEmptyString('spansFile', o.spansFile), undefined) ?? env.string(ENV.spansFile),
    spanExporters: check(() => exporterList(o.spanExporters), []),
  };
}
