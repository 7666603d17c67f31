/**
 * The standard `OTEL_*` variables Periscope's own tracing pipeline reads, settled once when
 * `instrument()` is called: whether the SDK is disabled, the sampler, where spans are exported
 * over OTLP (and in which encoding), and the resource attributes. A value that cannot be used is
 * a warning (core/env.ts) and the default applies, as in the OpenTelemetry SDK.
 */
import type { EnvReader } from './env.js';

/** The samplers of `OTEL_TRACES_SAMPLER`. */
export const SAMPLERS = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'] as const;
export type SamplerName = (typeof SAMPLERS)[number];
export const DEFAULT_SAMPLER: SamplerName = 'parentbased_always_on';

/** OTLP encodings over HTTP (`OTEL_EXPORTER_OTLP_PROTOCOL`). gRPC is not offered. */
export const OTLP_PROTOCOLS = ['http/json', 'http/protobuf'] as const;
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];
/** Periscope's default: OTLP JSON over HTTP (the SDK's is `http/protobuf`). */
export const DEFAULT_OTLP_PROTOCOL: OtlpProtocol = 'http/json';

/** Time an OTLP export may take, unless `OTEL_EXPORTER_OTLP_(TRACES_)TIMEOUT` says otherwise. */
export const DEFAULT_OTLP_TIMEOUT_MS = 5000;

/** Where and how spans go over OTLP. */
export interface OtlpSettings {
  /** The full URL spans are posted to (`…/v1/traces`). */
  readonly url: string;
  readonly protocol: OtlpProtocol;
  readonly timeoutMillis: number;
  readonly compression: 'gzip' | 'none' | undefined;
}

/** The tracing variables, settled. */
export interface TracingEnv {
  /** `OTEL_SDK_DISABLED=true`: no span is recorded (propagation still works). */
  readonly disabled: boolean;
  readonly sampler: SamplerName;
  /** The ratio of the `traceidratio` samplers (1 otherwise). */
  readonly samplerRatio: number;
  /** `undefined`: nothing is sent over the network. */
  readonly otlp: OtlpSettings | undefined;
  readonly resourceAttributes: Readonly<Record<string, string>>;
}

const V = Object.freeze({
  disabled: 'OTEL_SDK_DISABLED',
  sampler: 'OTEL_TRACES_SAMPLER',
  samplerArg: 'OTEL_TRACES_SAMPLER_ARG',
  exporter: 'OTEL_TRACES_EXPORTER',
  endpoint: 'OTEL_EXPORTER_OTLP_ENDPOINT',
  tracesEndpoint: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  protocol: 'OTEL_EXPORTER_OTLP_PROTOCOL',
  tracesProtocol: 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL',
  timeout: 'OTEL_EXPORTER_OTLP_TIMEOUT',
  tracesTimeout: 'OTEL_EXPORTER_OTLP_TRACES_TIMEOUT',
  compression: 'OTEL_EXPORTER_OTLP_COMPRESSION',
  tracesCompression: 'OTEL_EXPORTER_OTLP_TRACES_COMPRESSION',
  resource: 'OTEL_RESOURCE_ATTRIBUTES',
});

function sampler(reader: EnvReader): { sampler: SamplerName; samplerRatio: number } {
  const name = reader.oneOf(V.sampler, SAMPLERS, DEFAULT_SAMPLER) ?? DEFAULT_SAMPLER;
  const arg = reader.string(V.samplerArg);
  if (!name.endsWith('traceidratio')) {
    if (arg !== undefined) {
      reader.warn(V.samplerArg, arg, `no value: only the traceidratio and parentbased_traceidratio samplers read it, and ${V.sampler} is ${name}`, `${name}, which ignores it`);
    }
    return { sampler: name, samplerRatio: 1 };
  }
  const ratio = reader.number(V.samplerArg, 0, 1, 'a number from 0 to 1', `the ratio 1 (every trace), the default`) ?? 1;
  return { sampler: name, samplerRatio: ratio };
}

/** An http(s) URL, or `undefined`. */
function httpUrl(raw: string): URL | undefined {
  try {
    const url = new URL(raw.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

const URL_EXPECTED = 'an http:// or https:// URL';

/** The traces URL: the signal's own endpoint as given, else the general one with `/v1/traces`. */
function otlpUrl(reader: EnvReader): string | undefined {
  const general = reader.string(V.endpoint);
  let generalUrl: string | undefined;
  if (general !== undefined) {
    const url = httpUrl(general);
    if (url === undefined) reader.warn(V.endpoint, general, URL_EXPECTED, 'no OTLP export');
    else generalUrl = `${url.href.replace(/\/+$/, '')}/v1/traces`;
  }
  const traces = reader.string(V.tracesEndpoint);
  if (traces === undefined) return generalUrl;
  const url = httpUrl(traces);
  if (url !== undefined) return url.href;
  reader.warn(V.tracesEndpoint, traces, URL_EXPECTED, generalUrl !== undefined ? `${V.endpoint} (${generalUrl})` : 'no OTLP export');
  return generalUrl;
}

/** A signal-specific variable over the general one; a bad specific one falls back to the general. */
function specificOver<T>(read: (variable: string, fallback: string) => T | undefined, specific: string, general: string, defaultText: string): T | undefined {
  const fromGeneral = read(general, defaultText);
  return read(specific, fromGeneral !== undefined ? `${general} (${String(fromGeneral)})` : defaultText) ?? fromGeneral;
}

/** `OTEL_TRACES_EXPORTER`: `otlp` (the default) or `none`; any other exporter is not offered. */
function otlpWanted(reader: EnvReader): boolean {
  const raw = reader.string(V.exporter);
  if (raw === undefined) return true;
  const names = raw.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (names.includes('none')) return false;
  if (names.some((n) => n !== 'otlp')) reader.warn(V.exporter, raw, 'otlp or none (other exporters are not offered)', 'otlp');
  return true;
}

function otlp(reader: EnvReader): OtlpSettings | undefined {
  const wanted = otlpWanted(reader);
  // Read even when unused, so a mistake is reported before it matters.
  const protocol = specificOver((v, f) => reader.oneOf(v, OTLP_PROTOCOLS, f), V.tracesProtocol, V.protocol, `${DEFAULT_OTLP_PROTOCOL} (the default)`) ?? DEFAULT_OTLP_PROTOCOL;
  const timeoutMillis =
    specificOver((v, f) => reader.integer(v, 1, 3_600_000, f), V.tracesTimeout, V.timeout, `${DEFAULT_OTLP_TIMEOUT_MS} ms (the default)`) ?? DEFAULT_OTLP_TIMEOUT_MS;
  const compression = specificOver((v, f) => reader.oneOf(v, ['gzip', 'none'] as const, f), V.tracesCompression, V.compression, 'none (the default)');
  const url = otlpUrl(reader);
  return wanted && url !== undefined ? Object.freeze({ url, protocol, timeoutMillis, compression }) : undefined;
}

/** Parses `OTEL_RESOURCE_ATTRIBUTES` (`k=v,k2=v2`, values percent-encoded); malformed pairs are skipped and reported. */
export function resourceAttributes(reader: EnvReader): Record<string, string> {
  const out: Record<string, string> = {};
  const raw = reader.string(V.resource);
  if (raw === undefined) return out;
  const skipped: string[] = [];
  for (const pair of raw.split(',')) {
    if (pair.trim() === '') continue;
    const eq = pair.indexOf('=');
    try {
      if (eq <= 0 || pair.slice(0, eq).trim() === '') throw new Error('no key');
      out[decodeURIComponent(pair.slice(0, eq).trim())] = decodeURIComponent(pair.slice(eq + 1).trim());
    } catch {
      skipped.push(pair.trim());
    }
  }
  if (skipped.length > 0) {
    reader.warn(V.resource, raw, 'comma-separated key=value pairs, values percent-encoded', `the other pairs, without ${skipped.map((p) => JSON.stringify(p)).join(', ')}`);
  }
  return out;
}

/** Settles the tracing variables; problems go to `reader`'s warnings. */
export function tracingEnv(reader: EnvReader): TracingEnv {
  return Object.freeze({
    disabled: reader.boolean(V.disabled),
    ...sampler(reader),
    otlp: otlp(reader),
    resourceAttributes: Object.freeze(resourceAttributes(reader)),
  });
}
