/**
 * Rules that several signals apply, each written once (src/core/error-type.ts,
 * src/core/trace-flags.ts, src/metrics/overflow.ts). Each test here failed before the rule was
 * shared, when its copies had drifted apart.
 */
import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';
import { errorType } from '../src/core/error-type.js';
import { isSampled } from '../src/core/trace-flags.js';
import { closeAll, samples, scrape, startApp } from './helpers.js';

afterEach(closeAll);

class ValidationError extends Error {}

describe('the error type', () => {
  it('is the class name, else the name set on a plain Error, else Object or the typeof', () => {
    expect(errorType(new ValidationError('x'))).toBe('ValidationError');
    expect(errorType(Object.assign(new Error('x'), { name: 'TimeoutError' }))).toBe('TimeoutError');
    expect(errorType(new Error('x'))).toBe('Error');
    expect(errorType({ message: 'x' })).toBe('Object');
    expect(errorType('x')).toBe('string');
    expect(errorType(undefined)).toBe('undefined');
  });

  it('is the same on the log line, the exceptions metric and the server span', async () => {
    const exporter = new InMemorySpanExporter();
    const t = await startApp(
      (app) => {
        app.get('/class', () => {
          throw new ValidationError('bad input');
        });
        app.get('/named', () => {
          throw Object.assign(new Error('too slow'), { name: 'TimeoutError' });
        });
      },
      { spanExporters: [exporter] },
    );
    for (const path of ['/class', '/named']) expect((await fetch(`${t.base}${path}`)).status).toBe(500);
    await t.telemetry.flush();
    const lines = await t.accessLines(2);
    const byRoute = (route: string) => lines.find((l) => l.http.route === route)!;
    const spanType = (route: string) => exporter.getFinishedSpans().find((s) => s.attributes['http.route'] === route)!.attributes['error.type'];
    const text = await scrape(t.base);
    for (const [route, type] of [['/class', 'ValidationError'], ['/named', 'TimeoutError']]) {
      expect(byRoute(route!).err.type).toBe(type);
      expect(spanType(route!)).toBe(type);
      expect(samples(text, 'periscope_exceptions_total')).toContain(`periscope_exceptions_total{type="${type}"} 1`);
    }
  });
});

describe('the sampled flag', () => {
  it('is bit 0 of trace-flags, whatever the other bits say', () => {
    expect(isSampled({ traceFlags: 0x01 })).toBe(true);
    expect(isSampled({ traceFlags: 0x03 })).toBe(true);
    expect(isSampled({ traceFlags: 0xff })).toBe(true);
    expect(isSampled({ traceFlags: 0x00 })).toBe(false);
    expect(isSampled({ traceFlags: 0x02 })).toBe(false);
  });

  it('puts the exemplar on the duration histogram for a sampled caller trace whose flags are 03', async () => {
    // With the SDK disabled (and no global provider left by an earlier test) the server span is
    // the caller's context as received, flags and all.
    trace.disable();
    process.env.OTEL_SDK_DISABLED = 'true';
    try {
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const t = await startApp((app) => app.get('/ok', (_req, res) => res.json({})));
      const res = await fetch(`${t.base}/ok`, { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-03` } });
      expect(res.status).toBe(200);
      const [line] = await t.accessLines(1);
      expect(line!.trace_flags).toBe('03');
      const om = await scrape(t.base, true);
      const withExemplar = om.split('\n').filter((l) => l.startsWith('http_server_request_duration_seconds_bucket') && l.includes(`trace_id="${traceId}"`));
      expect(withExemplar).toHaveLength(1);
    } finally {
      delete process.env.OTEL_SDK_DISABLED;
    }
  });
});

describe('the overflow policy', () => {
  it('counts exception types past their cap in periscope_metric_overflow_total, as it counts routes past theirs', async () => {
    const t = await startApp(
      (app) => {
        app.get('/boom/:n', (req) => {
          const name = `Error${req.params.n}`;
          const Cls = { [name]: class extends Error {} }[name]!;
          throw new Cls('boom');
        });
      },
      { maxLabelSets: 3 },
    );
    for (let n = 0; n < 102; n++) expect((await fetch(`${t.base}/boom/${n}`)).status).toBe(500);
    const text = await scrape(t.base);
    // 100 types fit; the 101st and 102nd go to the overflow series and are counted.
    expect(samples(text, 'periscope_exceptions_total')).toContain('periscope_exceptions_total{type="overflow"} 2');
    expect(samples(text, 'periscope_metric_overflow_total')).toContain('periscope_metric_overflow_total{metric="periscope_exceptions_total"} 2');
  });
});
