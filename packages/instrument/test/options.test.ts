import express from 'express';
import { hostname } from 'node:os';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { ALREADY_INSTRUMENTED, INVALID_APP, INVALID_OPTION, instrument } from '../src/index.js';
import type { InstrumentOptions } from '../src/index.js';
import { resolveOptions } from '../src/options.js';
import type { ResolvedOptions } from '../src/options.js';

describe('options', () => {
  it('settles every option in the resolved options (checked by tsc)', () => {
    expectTypeOf<Exclude<keyof InstrumentOptions, keyof ResolvedOptions>>().toBeNever();
  });

  it('takes service from OTEL_SERVICE_NAME, then the package name', () => {
    expect(resolveOptions({}, { OTEL_SERVICE_NAME: 'from-env' }).service).toBe('from-env');
    expect(resolveOptions({}, { npm_package_name: 'pkg-name', npm_package_version: '9.9.9' })).toMatchObject({ service: 'pkg-name', version: '9.9.9' });
    expect(resolveOptions({ service: 'explicit' }, { OTEL_SERVICE_NAME: 'from-env' }).service).toBe('explicit');
  });

  it('holds at most 16 MiB of log lines per destination unless logBufferBytes says otherwise', () => {
    expect(resolveOptions({ service: 's' }, {}).logBufferBytes).toBe(16 * 1024 * 1024);
    expect(resolveOptions({ service: 's', logBufferBytes: 65536 }, {}).logBufferBytes).toBe(65536);
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
    [{ logBufferBytes: 1000 }, Error, 'Invalid option "logBufferBytes": got 1000 - expected an integer from 65536 to 9007199254740991'],
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

  it('rejects an unknown option, suggesting the known one it looks like', () => {
    expect(() => resolveOptions({ servce: 'typo' } as never, {})).toThrow('Invalid option "servce": got "typo" - expected a known option; did you mean "service"?');
    expect(() => resolveOptions({ service: 's', metricsPrt: 9464 } as never, {})).toThrow('Invalid option "metricsPrt": got 9464 - expected a known option; did you mean "metricsPort"?');
    expect(() => resolveOptions({ service: 's', LOGLEVEL: 'debug' } as never, {})).toThrow('did you mean "logLevel"?');
    expect(() => resolveOptions({ service: 's', fileRotation: { maxFile: 2 } } as never, {})).toThrow('Invalid option "fileRotation.maxFile": got 2 - expected a known option; did you mean "fileRotation.maxFiles"?');
    expect(() => resolveOptions({ service: 's', colour: 'red' } as never, {})).toThrow(/^Invalid option "colour": got "red" - expected one of the known options: service, version, /);
  });

  it('reports every invalid option at once, in one error listing each', () => {
    let caught: unknown;
    try {
      resolveOptions({ service: 's', metricsPrt: 9464, logLevel: 'loud', maxLabelSets: 0, stdout: 'no' } as never, {});
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(Error);
    expect(caught).not.toBeInstanceOf(TypeError);
    expect((caught as { code: string }).code).toBe(INVALID_OPTION);
    expect((caught as Error).message).toBe(
      [
        '4 invalid options:',
        '- Invalid option "metricsPrt": got 9464 - expected a known option; did you mean "metricsPort"?',
        '- Invalid option "logLevel": got "loud" - expected one of debug, info, warn, error, fatal',
        '- Invalid option "stdout": got "no" (string) - expected a boolean',
        '- Invalid option "maxLabelSets": got 0 - expected an integer from 1 to 1000000',
      ].join('\n'),
    );
    const each = (caught as { errors: Error[] }).errors;
    expect(each.map((e) => e.constructor)).toEqual([Error, Error, TypeError, Error]);
    // Wrong shapes only: a TypeError.
    expect(() => resolveOptions({ stdout: 1, redact: 'x' } as never, {})).toThrow(TypeError);
  });

  it('validates when instrument() is called, and refuses what is not an Express app or a second call', () => {
    expect(() => instrument({} as never)).toThrow(expect.objectContaining({ code: INVALID_APP }));
    const app = express();
    expect(() => instrument(app, { service: 'x', logLevel: 'loud' as never })).toThrow(/logLevel/);
    const t = instrument(app, { service: 'x', stdout: false, defaultMetrics: false });
    expect(() => instrument(app, { service: 'x' })).toThrow(expect.objectContaining({ code: ALREADY_INSTRUMENTED }));
    return t.shutdown();
  });
});

describe('the syslog option', () => {
  const resolve = (syslog: unknown, env: NodeJS.ProcessEnv = {}) => resolveOptions({ service: 'users', syslog } as never, env).syslog;
  const pem = (text: string) => `-----BEGIN CERTIFICATE-----\n${text}\n-----END CERTIFICATE-----\n`;

  it('takes a URL string as shorthand for { target } and fills every default', () => {
    expect(resolve('tcp://collector:1514')).toEqual({
      address: { protocol: 'tcp', host: 'collector', port: 1514 },
      appName: 'users',
      hostname: hostname(),
      facility: 16,
      maxMessageBytes: 8192,
      queue: { maxRecords: 10_000, maxBytes: 8 * 1024 * 1024 },
      reconnect: { baseDelayMs: 200, maxDelayMs: 30_000 },
      connectTimeoutMs: 5000,
      keepAliveMs: 15_000,
      stallTimeoutMs: 10_000,
      tls: undefined,
    });
  });

  it('reaches every field of the object form, and takes the target from PERISCOPE_SYSLOG_URL when it has none', () => {
    const o = resolve({
      appName: 'users-api', hostname: 'pod-7', facility: 'local5', maxMessageBytes: 4096, queue: { maxRecords: 500, maxBytes: 65_536 },
      reconnect: { baseDelayMs: 50, maxDelayMs: 5000 }, connectTimeoutMs: 1000, keepAliveMs: 2000, stallTimeoutMs: 3000,
      tls: { rejectUnauthorized: false, servername: 'logs.internal' },
    }, { PERISCOPE_SYSLOG_URL: 'tls://10.0.0.5:6514' });
    expect(o).toEqual({
      address: { protocol: 'tls', host: '10.0.0.5', port: 6514 }, appName: 'users-api', hostname: 'pod-7', facility: 21, maxMessageBytes: 4096,
      queue: { maxRecords: 500, maxBytes: 65_536 }, reconnect: { baseDelayMs: 50, maxDelayMs: 5000 }, connectTimeoutMs: 1000, keepAliveMs: 2000, stallTimeoutMs: 3000,
      tls: { rejectUnauthorized: false, servername: 'logs.internal' },
    });
    expect(resolve({ target: 'udp://h:514', facility: 0 })).toMatchObject({ facility: 0, address: { protocol: 'udp' } });
    expect(resolve({ target: 'tls://logs.example.com:6514' })!.tls).toEqual({ rejectUnauthorized: true, servername: 'logs.example.com' });
  });

  it.each([
    [{ target: 42 }, TypeError, 'Invalid option "syslog.target": got 42 (number) - expected a URL tcp://host:port, tls://host:port or udp://host:port (port 1-65535)'],
    [{ appName: 'a' }, Error, 'Invalid option "syslog.target": got undefined - expected a URL tcp://host:port, tls://host:port or udp://host:port (or PERISCOPE_SYSLOG_URL set)'],
    [{ target: 'tcp://h:1', ur: 'x' }, Error, 'Invalid option "syslog.ur": got "x" - expected one of target, appName, hostname, facility, maxMessageBytes, queue, reconnect, connectTimeoutMs, keepAliveMs, stallTimeoutMs, tls'],
    [{ target: 'tcp://h:1', facility: 'local9' }, Error, 'Invalid option "syslog.facility": got "local9" - expected a number from 0 to 23 or one of kern, user, mail, daemon, auth, syslog, lpr, news, uucp, cron, authpriv, ftp, ntp, audit, alert, clock, local0, local1, local2, local3, local4, local5, local6, local7'],
    [{ target: 'udp://h:1', maxMessageBytes: 70_000 }, Error, 'Invalid option "syslog.maxMessageBytes": got 70000 - expected an integer from 480 to 65507'],
    [{ target: 'tcp://h:1', queue: { maxBytes: 1000 } }, Error, 'Invalid option "syslog.queue.maxBytes": got 1000 - expected an integer from 1024 to 1099511627776'],
    [{ target: 'tcp://h:1', queue: { maxBytes: 4096 } }, Error, 'Invalid option "syslog.queue.maxBytes": got 4096 - expected an integer of at least syslog.maxMessageBytes (8192), so one whole message fits'],
    [{ target: 'tcp://h:1', queue: { records: 5 } }, Error, 'Invalid option "syslog.queue.records": got 5 - expected one of maxRecords, maxBytes'],
    [{ target: 'tcp://h:1', reconnect: 100 }, TypeError, 'Invalid option "syslog.reconnect": got 100 (number) - expected an object { baseDelayMs, maxDelayMs }'],
    [{ target: 'tcp://h:1', keepAliveMs: 10 }, Error, 'Invalid option "syslog.keepAliveMs": got 10 - expected an integer from 1000 to 3600000'],
    [{ target: 'tcp://h:1', hostname: '' }, Error, 'Invalid option "syslog.hostname": got "" - expected a non-empty string'],
    [{ target: 'tcp://h:1', tls: { ca: 'x' } }, Error, 'Invalid option "syslog.tls": got an object - expected no TLS settings for a tcp:// target (use tls://host:port)'],
    [{ target: 'tls://h:1', tls: { ca: 42 } }, TypeError, 'Invalid option "syslog.tls.ca": got 42 (number) - expected CA certificates as PEM text, a Buffer, or the path of a readable PEM file'],
    [{ target: 'tls://h:1', tls: { ca: '/nonexistent/ca.pem' } }, Error, 'Invalid option "syslog.tls.ca": got "/nonexistent/ca.pem" - expected CA certificates as PEM text, a Buffer, or the path of a readable PEM file (ENOENT)'],
    [{ target: 'tls://h:1', tls: { ca: '-----BEGIN PRIVATE KEY-----' } }, Error, 'Invalid option "syslog.tls.ca": got "-----BEGIN PRIVATE KEY-----" - expected CA certificates (no "-----BEGIN CERTIFICATE-----" block found)'],
    [{ target: 'tls://h:1', tls: { ca: pem('bm90IGEgY2VydA==') } }, Error, /^Invalid option "syslog\.tls\.ca": got "-----BEGIN CERTIFICATE-----\\nbm90IGEgY2VydA==\\n-----END CERTIFICATE-----\\n" - expected CA certificates \(.+\)$/],
    [{ target: 'tls://h:1', tls: { key: '-----BEGIN PRIVATE KEY-----' } }, Error, 'Invalid option "syslog.tls.cert": got undefined - expected a client certificate when syslog.tls.key is given (mutual TLS needs both)'],
    [{ target: 'tls://h:1', tls: { rejectUnauthorized: 'no' } }, TypeError, 'Invalid option "syslog.tls.rejectUnauthorized": got "no" (string) - expected a boolean'],
    [{ target: 'tls://h:1', tls: { verify: false } }, Error, 'Invalid option "syslog.tls.verify": got false - expected one of ca, cert, key, passphrase, rejectUnauthorized, servername'],
    [42, TypeError, 'Invalid option "syslog": got 42 (number) - expected false, a URL tcp://host:port, tls://host:port or udp://host:port, or an object { target, tls, queue, ... }'],
  ])('rejects %j naming the option path, the value and what was expected', (syslog, type, message) => {
    let caught: unknown;
    try {
      resolve(syslog);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(type);
    if (typeof message === 'string') expect((caught as Error).message).toBe(message);
    else expect((caught as Error).message).toMatch(message);
    expect((caught as { code: string }).code).toBe(INVALID_OPTION);
  });

  it('starts shipping from instrument() with the object form and counts drops in the metric', async () => {
    const app = express();
    const t = instrument(app, { service: 'x', stdout: false, defaultMetrics: false, syslog: { target: 'udp://127.0.0.1:9', queue: { maxRecords: 1 }, maxMessageBytes: 480 } });
    t.logger.info({ big: 'y'.repeat(10) }, 'x'.repeat(100));
    await t.shutdown();
    t.logger.info('after shutdown');
    const text = await t.metrics.metrics();
    expect(text).toMatch(/^periscope_syslog_dropped_total\{reason="closed"\} [1-9]/m);
  });
});
