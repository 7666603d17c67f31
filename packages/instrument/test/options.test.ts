import express from 'express';
import { describe, expect, it } from 'vitest';
import { INVALID_APP, INVALID_OPTION, instrument } from '../src/index.js';
import { resolveOptions } from '../src/core/options.js';

describe('options', () => {
  it('takes service from OTEL_SERVICE_NAME, then the package name', () => {
    expect(resolveOptions({}, { OTEL_SERVICE_NAME: 'from-env' }).service).toBe('from-env');
    expect(resolveOptions({}, { npm_package_name: 'pkg-name', npm_package_version: '9.9.9' })).toMatchObject({ service: 'pkg-name', version: '9.9.9' });
    expect(resolveOptions({ service: 'explicit' }, { OTEL_SERVICE_NAME: 'from-env' }).service).toBe('explicit');
  });

  it('takes version, commit, log file, metrics port and syslog from PERISCOPE_* variables', () => {
    const o = resolveOptions({ service: 's' }, {
      PERISCOPE_VERSION: '2.0.0',
      PERISCOPE_COMMIT: 'deadbeef',
      PERISCOPE_LOG_FILE: '/tmp/x.log',
      PERISCOPE_METRICS_PORT: '9464',
      PERISCOPE_SYSLOG_URL: 'udp://127.0.0.1:514',
      PERISCOPE_LOG_LEVEL: 'debug',
    });
    expect(o).toMatchObject({ version: '2.0.0', commit: 'deadbeef', logFile: '/tmp/x.log', metricsPort: 9464, logLevel: 'debug' });
    expect(o.syslog?.address).toEqual({ protocol: 'udp', host: '127.0.0.1', port: 514 });
    expect(resolveOptions({ service: 's', syslog: false }, { PERISCOPE_SYSLOG_URL: 'udp://h:1' }).syslog).toBeUndefined();
  });

  it.each([
    [{ service: 42 }, TypeError, 'Invalid option "service": got 42 (number) - expected a non-empty string'],
    [{ service: '' }, Error, 'Invalid option "service": got "" - expected a non-empty string'],
    [{ service: 'bad name!' }, Error, 'Invalid option "service": got "bad name!" - expected 1-128 characters of letters, digits and . _ : / -, starting with a letter or digit'],
    [{ logLevel: 'verbose' }, Error, 'Invalid option "logLevel": got "verbose" - expected one of debug, info, warn, error, fatal'],
    [{ metricsPort: 70000 }, Error, 'Invalid option "metricsPort": got 70000 - expected an integer from 0 to 65535'],
    [{ metricsPort: '9464' }, TypeError, 'Invalid option "metricsPort": got "9464" (string) - expected an integer from 0 to 65535'],
    [{ maxLabelSets: 0 }, Error, 'Invalid option "maxLabelSets": got 0 - expected an integer from 1 to 1000000'],
    [{ logger: {} }, TypeError, 'Invalid option "logger": got an object (object) - expected a pino logger (an object with info() and child())'],
    [{ stdout: 'no' }, TypeError, 'Invalid option "stdout": got "no" (string) - expected a boolean'],
    [{ redact: [1] }, TypeError, 'Invalid option "redact": got an array (object) - expected an array of non-empty strings'],
  ])('rejects %j naming the option, the value and what was expected', (options, type, message) => {
    let caught: unknown;
    try {
      resolveOptions({ service: 'ok', ...options } as never, {});
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(type);
    expect((caught as Error).message).toBe(message);
    expect((caught as { code: string }).code).toBe(INVALID_OPTION);
  });

  it('checks the syslog URL when options are resolved, naming where it came from', () => {
    expect(() => resolveOptions({ service: 's' }, { PERISCOPE_SYSLOG_URL: 'http://collector:514' })).toThrow(/^Invalid option "PERISCOPE_SYSLOG_URL": got "http:\/\/collector:514"/);
    expect(() => resolveOptions({ service: 's', syslog: 'tcp://collector' }, {})).toThrow(/^Invalid option "syslog": got "tcp:\/\/collector"/);
  });

  it("resolves tracing to a mode: absent or true is 'auto', false is off, and the three modes are kept", () => {
    expect(resolveOptions({ service: 's' }, {}).tracing).toBe('auto');
    expect(resolveOptions({ service: 's', tracing: true }, {}).tracing).toBe('auto');
    expect(resolveOptions({ service: 's', tracing: false }, {}).tracing).toBe(false);
    for (const mode of ['auto', 'own', 'global'] as const) expect(resolveOptions({ service: 's', tracing: mode }, {}).tracing).toBe(mode);
  });

  it('rejects a tracing value that is not a boolean or a mode, naming the option', () => {
    expect(() => resolveOptions({ service: 's', tracing: 'mine' as never }, {})).toThrow(/^Invalid option "tracing": got "mine" - expected true, false or one of "auto", "own", "global"/);
    expect(() => resolveOptions({ service: 's', tracing: 1 as never }, {})).toThrow(TypeError);
  });

  it('rejects an unknown option and a bad PERISCOPE_METRICS_PORT', () => {
    expect(() => resolveOptions({ servce: 'typo' } as never, {})).toThrow(/^Invalid option "servce": got "typo" - expected one of the known options: service, /);
    expect(() => resolveOptions({ service: 's' }, { PERISCOPE_METRICS_PORT: 'abc' })).toThrow(
      'Invalid option "PERISCOPE_METRICS_PORT": got "abc" - expected an integer from 0 to 65535',
    );
  });

  it('validates when instrument() is called, and refuses what is not an Express app or a second call', () => {
    expect(() => instrument({} as never)).toThrow(expect.objectContaining({ code: INVALID_APP }));
    const app = express();
    expect(() => instrument(app, { service: 'x', logLevel: 'loud' as never })).toThrow(/logLevel/);
    const t = instrument(app, { service: 'x', stdout: false, defaultMetrics: false });
    expect(() => instrument(app, { service: 'x' })).toThrow(expect.objectContaining({ code: 'PERISCOPE_ALREADY_INSTRUMENTED' }));
    return t.shutdown();
  });
});
