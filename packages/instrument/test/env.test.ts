import { describe, expect, it } from 'vitest';
import { EnvReader, envWarningMessage } from '../src/core/env.js';
import { tracingEnv } from '../src/core/otel-env.js';
import { resolveOptions } from '../src/options.js';
import { fixture, runNode } from './exceptions-fixtures.js';

/** The tracing variables of `env`, settled, and the warning messages they gave. */
function settle(env: NodeJS.ProcessEnv) {
  const reader = new EnvReader(env);
  const settled = tracingEnv(reader);
  return { settled, messages: reader.warnings.map(envWarningMessage) };
}

describe('telemetry variables that cannot be used', () => {
  it('fall back to parentbased_always_on for an unknown OTEL_TRACES_SAMPLER, with one warning naming the value and the default', () => {
    const { settled, messages } = settle({ OTEL_TRACES_SAMPLER: 'bogus' });
    expect(settled).toMatchObject({ sampler: 'parentbased_always_on', samplerRatio: 1 });
    expect(messages).toEqual([
      'periscope: ignoring OTEL_TRACES_SAMPLER="bogus" (expected one of always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio); using parentbased_always_on',
    ]);
  });

  it('fall back to the ratio 1 for a ratio sampler whose OTEL_TRACES_SAMPLER_ARG is not a number from 0 to 1', () => {
    for (const arg of ['abc', '2', '-0.1']) {
      const { settled, messages } = settle({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: arg });
      expect(settled).toMatchObject({ sampler: 'traceidratio', samplerRatio: 1 });
      expect(messages).toEqual([`periscope: ignoring OTEL_TRACES_SAMPLER_ARG="${arg}" (expected a number from 0 to 1); using the ratio 1 (every trace), the default`]);
    }
    expect(settle({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: ' 0.25 ' })).toEqual({ settled: expect.objectContaining({ samplerRatio: 0.25 }), messages: [] });
  });

  it('say that OTEL_TRACES_SAMPLER_ARG is ignored by a sampler that takes no ratio, the default one included', () => {
    expect(settle({ OTEL_TRACES_SAMPLER_ARG: 'abc' }).messages).toEqual([
      'periscope: ignoring OTEL_TRACES_SAMPLER_ARG="abc" (expected no value: only the traceidratio and parentbased_traceidratio samplers read it, and OTEL_TRACES_SAMPLER is parentbased_always_on); using parentbased_always_on, which ignores it',
    ]);
  });

  it('warn once per variable, and treat an empty or blank variable as unset', () => {
    const reader = new EnvReader({ OTEL_SDK_DISABLED: 'yes', OTEL_TRACES_SAMPLER: '  ' });
    expect(reader.boolean('OTEL_SDK_DISABLED')).toBe(false);
    expect(reader.boolean('OTEL_SDK_DISABLED')).toBe(false);
    expect(tracingEnv(reader).sampler).toBe('parentbased_always_on');
    expect(reader.warnings.map(envWarningMessage)).toEqual(['periscope: ignoring OTEL_SDK_DISABLED="yes" (expected one of true, false); using false (the default)']);
  });

  it('fall back to http/json for an unsupported OTLP protocol, and to the general variable for a bad traces-specific one', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    expect(settle({ ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toEqual({
      settled: expect.objectContaining({ otlp: { url: 'http://collector:4318/v1/traces', protocol: 'http/json', timeoutMillis: 5000, compression: undefined } }),
      messages: ['periscope: ignoring OTEL_EXPORTER_OTLP_PROTOCOL="grpc" (expected one of http/json, http/protobuf); using http/json (the default)'],
    });
    expect(settle({ ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc' })).toEqual({
      settled: expect.objectContaining({ otlp: expect.objectContaining({ protocol: 'http/protobuf' }) }),
      messages: ['periscope: ignoring OTEL_EXPORTER_OTLP_TRACES_PROTOCOL="grpc" (expected one of http/json, http/protobuf); using OTEL_EXPORTER_OTLP_PROTOCOL (http/protobuf)'],
    });
    expect(settle({ ...endpoint, OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'HTTP/PROTOBUF' }).settled.otlp?.protocol).toBe('http/protobuf');
  });

  it('send nowhere for an endpoint that is not an http(s) URL, and use the traces endpoint as given', () => {
    expect(settle({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toEqual({
      settled: expect.objectContaining({ otlp: undefined }),
      messages: ['periscope: ignoring OTEL_EXPORTER_OTLP_ENDPOINT="collector:4318" (expected an http:// or https:// URL); using no OTLP export'],
    });
    expect(settle({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318/base/', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'not a url' })).toEqual({
      settled: expect.objectContaining({ otlp: expect.objectContaining({ url: 'http://c:4318/base/v1/traces' }) }),
      messages: ['periscope: ignoring OTEL_EXPORTER_OTLP_TRACES_ENDPOINT="not a url" (expected an http:// or https:// URL); using OTEL_EXPORTER_OTLP_ENDPOINT (http://c:4318/base/v1/traces)'],
    });
    expect(settle({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://t.example/otlp/spans' }).settled.otlp?.url).toBe('https://t.example/otlp/spans');
  });

  it('keep OTLP on for an exporter Periscope does not offer, and off for none', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' };
    expect(settle({ ...endpoint, OTEL_TRACES_EXPORTER: 'zipkin' })).toEqual({
      settled: expect.objectContaining({ otlp: expect.objectContaining({ url: 'http://c:4318/v1/traces' }) }),
      messages: ['periscope: ignoring OTEL_TRACES_EXPORTER="zipkin" (expected otlp or none (other exporters are not offered)); using otlp'],
    });
    expect(settle({ ...endpoint, OTEL_TRACES_EXPORTER: 'none' })).toEqual({ settled: expect.objectContaining({ otlp: undefined }), messages: [] });
  });

  it('use the default timeout and no compression for bad OTLP timeout and compression values', () => {
    const { settled, messages } = settle({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_TIMEOUT: '5s', OTEL_EXPORTER_OTLP_COMPRESSION: 'zstd' });
    expect(settled.otlp).toMatchObject({ timeoutMillis: 5000, compression: undefined });
    expect(messages).toEqual([
      'periscope: ignoring OTEL_EXPORTER_OTLP_TIMEOUT="5s" (expected an integer from 1 to 3600000); using 5000 ms (the default)',
      'periscope: ignoring OTEL_EXPORTER_OTLP_COMPRESSION="zstd" (expected one of gzip, none); using none (the default)',
    ]);
    expect(settle({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '1500', OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip' }).settled.otlp).toMatchObject({ timeoutMillis: 1500, compression: 'gzip' });
  });

  it('name the resource attribute pairs that were skipped', () => {
    const { settled, messages } = settle({ OTEL_RESOURCE_ATTRIBUTES: 'team=a%20b,broken,bad=%E0%A4%A' });
    expect(settled.resourceAttributes).toEqual({ team: 'a b' });
    expect(messages).toEqual(['periscope: ignoring OTEL_RESOURCE_ATTRIBUTES="team=a%20b,broken,bad=%E0%A4%A" (expected comma-separated key=value pairs, values percent-encoded); using the other pairs, without "broken", "bad=%E0%A4%A"']);
  });
});

describe('PERISCOPE_* and OTEL_SERVICE_NAME variables that cannot be used', () => {
  it('become warnings and defaults, never an error', () => {
    const o = resolveOptions({}, {
      OTEL_SERVICE_NAME: 'bad name!',
      npm_package_name: 'pkg-svc',
      PERISCOPE_LOG_LEVEL: 'loud',
      PERISCOPE_METRICS_PORT: 'abc',
      PERISCOPE_FILE_MAX_BYTES: '10',
      PERISCOPE_FILE_MAX_FILES: 'many',
      PERISCOPE_SYSLOG_URL: 'http://collector:514',
    });
    expect(o).toMatchObject({ service: 'pkg-svc', logLevel: 'info', metricsPort: undefined, fileRotation: { maxBytes: 50 * 1024 * 1024, maxFiles: 3 }, syslog: undefined });
    expect(o.warnings.map(envWarningMessage)).toEqual([
      'periscope: ignoring OTEL_SERVICE_NAME="bad name!" (expected 1-128 characters of letters, digits and . _ : / -, starting with a letter or digit); using the package name "pkg-svc"',
      'periscope: ignoring PERISCOPE_LOG_LEVEL="loud" (expected one of debug, info, warn, error, fatal); using info (the default)',
      'periscope: ignoring PERISCOPE_METRICS_PORT="abc" (expected an integer from 0 to 65535); using the app\'s own port for /metrics (no separate metrics server)',
      'periscope: ignoring PERISCOPE_SYSLOG_URL="http://collector:514" (expected a URL tcp://host:port, tls://host:port or udp://host:port (port 1-65535)); using no syslog shipping',
      'periscope: ignoring PERISCOPE_FILE_MAX_BYTES="10" (expected an integer from 1024 to 9007199254740991); using 52428800 (the default)',
      'periscope: ignoring PERISCOPE_FILE_MAX_FILES="many" (expected an integer from 0 to 1000); using 3 (the default)',
    ]);
  });

  it('are not read where an option says otherwise', () => {
    const o = resolveOptions({ service: 's', metricsPort: 9464, syslog: 'udp://127.0.0.1:514', logLevel: 'debug' }, { PERISCOPE_METRICS_PORT: 'abc', PERISCOPE_SYSLOG_URL: 'nope', PERISCOPE_LOG_LEVEL: 'loud' });
    expect(o.warnings).toEqual([]);
  });
});

describe('a service started with a bad telemetry variable', () => {
  it.each([
    [{ OTEL_TRACES_SAMPLER: 'bogus' }, 'OTEL_TRACES_SAMPLER', 'bogus', 'parentbased_always_on'],
    [{ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: 'abc' }, 'OTEL_TRACES_SAMPLER_ARG', 'abc', 'the ratio 1 (every trace), the default'],
    [{ OTEL_TRACES_SAMPLER_ARG: 'abc' }, 'OTEL_TRACES_SAMPLER_ARG', 'abc', 'parentbased_always_on, which ignores it'],
  ])('%j keeps running: one warn line naming the variable, the value and the default, nothing on stderr', async (env, name, value, fallback) => {
    const run = await runNode(fixture('env-service.mjs'), [], { source: false, env: { ...env, OTEL_EXPORTER_OTLP_ENDPOINT: '', PERISCOPE_SPANS_FILE: '' } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const warnings = run.lines.filter((l) => l.level === 'warn');
    expect(warnings).toEqual([expect.objectContaining({ env: { name, value, default: fallback }, msg: expect.stringContaining(`${name}="${value}"`) })]);
    expect(run.lines.filter((l) => l.level === 'fatal' || l.level === 'error')).toEqual([]);
    expect(run.lines.find((l) => String(l.msg).startsWith('periscope tracing:'))?.msg).toBe(
      "periscope tracing: mode own (option 'auto'): spans go nowhere (no exporter: set OTEL_EXPORTER_OTLP_ENDPOINT, or PERISCOPE_SPANS_FILE for a local file), through Periscope's own pipeline; registered globally: tracer provider, context manager, propagator",
    );
  }, 30_000);

  it('OTEL_SDK_DISABLED=true says that no span is recorded', async () => {
    const run = await runNode(fixture('env-service.mjs'), [], { source: false, env: { OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9/' } });
    expect(run.code).toBe(0);
    expect(run.lines.find((l) => String(l.msg).startsWith('periscope tracing:'))?.msg).toBe(
      "periscope tracing: mode own (option 'auto'): spans go nowhere (OTEL_SDK_DISABLED=true: no span is recorded; trace context is still propagated), through Periscope's own pipeline; registered globally: context manager, propagator",
    );
  }, 30_000);
});
