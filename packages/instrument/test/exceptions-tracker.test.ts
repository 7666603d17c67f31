import { describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { createExceptionTracker, fingerprintedError } from '../src/exceptions/tracker.js';
import { LABEL, METRIC } from '../src/index.js';

/** A distinct bug per `place`: the same message, thrown from another function. */
function bug(place: string, message = 'boom'): Error {
  const err = new TypeError(message);
  err.stack = `TypeError: ${message}\n    at ${place} (${process.cwd()}/src/app.js:1:1)`;
  return err;
}

async function counts(registry: Registry): Promise<Record<string, number>> {
  const metric = await registry.getSingleMetric(METRIC.exceptions)!.get();
  return Object.fromEntries(metric.values.map((v) => [String(v.labels[LABEL.type]), v.value]));
}

describe('exception tracker', () => {
  it('counts periscope_exceptions_total by type and marks the first capture of each fingerprint', async () => {
    const registry = new Registry();
    const tracker = createExceptionTracker(registry);
    const a1 = tracker.capture(bug('a', 'order 1'));
    const a2 = tracker.capture(bug('a', 'order 2'));
    const b = tracker.capture(bug('b'));
    const r = tracker.capture(new RangeError('x'));
    expect([a1.first_seen, a2.first_seen, b.first_seen, r.first_seen]).toEqual([true, false, true, true]);
    expect(a2.fingerprint).toBe(a1.fingerprint);
    expect(b.fingerprint).not.toBe(a1.fingerprint);
    expect(a1.type).toBe('TypeError');
    expect(await counts(registry)).toEqual({ TypeError: 3, RangeError: 1 });
  });

  it('counts the same error object once when it is captured again', async () => {
    const registry = new Registry();
    const tracker = createExceptionTracker(registry);
    const err = bug('a');
    const first = tracker.capture(err);
    expect(tracker.capture(err)).toEqual({ ...first, first_seen: false });
    expect(await counts(registry)).toEqual({ TypeError: 1 });
  });

  it('captures values that are not errors', async () => {
    const registry = new Registry();
    const tracker = createExceptionTracker(registry);
    expect(tracker.capture('nope').type).toBe('string');
    expect(tracker.capture(undefined).first_seen).toBe(true);
    expect(tracker.capture({ status: 500 }).type).toBe('Object');
    expect(await counts(registry)).toEqual({ string: 1, undefined: 1, Object: 1 });
  });

  it('forgets the least recently seen fingerprint past its cap', () => {
    const tracker = createExceptionTracker(new Registry(), { maxFingerprints: 2 });
    tracker.capture(bug('a'));
    tracker.capture(bug('b'));
    tracker.capture(bug('a')); // a is now the most recent
    tracker.capture(bug('c')); // forgets b
    expect(tracker.capture(bug('a')).first_seen).toBe(false);
    expect(tracker.capture(bug('b')).first_seen).toBe(true);
  });

  it('sends types past its cap to the overflow series and counts each in periscope_metric_overflow_total', async () => {
    const registry = new Registry();
    const tracker = createExceptionTracker(registry, { maxTypes: 1 });
    tracker.capture(new TypeError('x'));
    tracker.capture(new RangeError('x'));
    tracker.capture(new TypeError('y'));
    tracker.capture(new SyntaxError('z'));
    expect(await counts(registry)).toEqual({ TypeError: 2, overflow: 2 });
    const overflow = await registry.getSingleMetric(METRIC.metricOverflow)!.get();
    expect(overflow.values.map((v) => [v.labels[LABEL.metric], v.value])).toEqual([[METRIC.exceptions, 2]]);
  });

  it('gives the log line the contract error shape plus fingerprint and first_seen', () => {
    const tracker = createExceptionTracker(new Registry());
    const err = Object.assign(bug('a', 'order 7'), { code: 'E_ORDER' });
    const captured = tracker.capture(err);
    expect(fingerprintedError(err, captured)).toEqual({
      type: 'TypeError',
      message: 'order 7',
      stack: err.stack,
      code: 'E_ORDER',
      fingerprint: captured.fingerprint,
      first_seen: true,
    });
  });
});
