import { describe, expect, it } from 'vitest';
import { formatLatency, parseDurationMs, parseLatency, sampleLatency, validateLatency } from '../src/duration.ts';

describe('durations and latency specs', () => {
  it('reads Prometheus durations as milliseconds, 0 without a unit included', () => {
    expect(['800ms', '90s', '2m', '1h30m', '7ms', '0'].map((d) => parseDurationMs(d, '--block'))).toEqual([800, 90_000, 120_000, 5_400_000, 7, 0]);
  });

  it('names the flag, the value and the expected forms when a duration cannot be read', () => {
    expect(() => parseDurationMs('soon', '--block')).toThrow('--block "soon" is not a duration: expected e.g. 800ms, 90s, 10m or 1h30m');
    expect(() => parseDurationMs('1.5s', '--every')).toThrow('--every "1.5s" is not a duration');
    expect(() => parseLatency('100ms-soon', '--latency')).toThrow('--latency "soon" is not a duration');
  });

  it('reads fixed, uniform, normal and exponential latencies and prints them back', () => {
    for (const text of ['200ms', '100ms-400ms', 'normal:200ms,50ms', 'exp:150ms']) expect(formatLatency(parseLatency(text))).toBe(text);
  });

  it('refuses a range whose upper bound is below its lower one', () => {
    expect(() => parseLatency('400ms-100ms', '--latency')).toThrow('--latency "400ms-100ms" is not a range: the upper bound is below the lower one');
  });

  it('draws uniform delays inside the range and never a negative normal delay', () => {
    const uniform = parseLatency('100ms-200ms');
    for (const r of [0, 0.5, 0.999]) expect(sampleLatency(uniform, () => r)).toBeGreaterThanOrEqual(100);
    expect(sampleLatency(uniform, () => 0.999)).toBeLessThan(200);
    expect(sampleLatency(parseLatency('normal:10ms,1000ms'), () => 0.999)).toBeGreaterThanOrEqual(0);
  });

  it('validates latency objects received as JSON', () => {
    expect(validateLatency({ kind: 'exponential', meanMs: 50 })).toEqual({ kind: 'exponential', meanMs: 50 });
    expect(() => validateLatency({ kind: 'fixed', ms: -1 })).toThrow('latency.ms must be a non-negative number of milliseconds, got -1');
    expect(() => validateLatency({ kind: 'pareto' })).toThrow('latency must be a string like "200ms"');
  });
});
