import { describe, expect, it } from 'vitest';
import { formatLatency, parseDuration, parseLatency, sampleLatency, validateLatency } from '../src/duration.ts';

describe('durations and latency specs', () => {
  it('reads milliseconds, seconds and minutes, and bare numbers as milliseconds', () => {
    expect([parseDuration('200ms'), parseDuration('1.5s'), parseDuration('2m'), parseDuration('75')]).toEqual([200, 1500, 120_000, 75]);
  });

  it('names the expected forms when a duration cannot be read', () => {
    expect(() => parseDuration('soon')).toThrow('"soon" is not a duration: expected e.g. 200ms, 1.5s or 2m');
  });

  it('reads fixed, uniform, normal and exponential latencies and prints them back', () => {
    for (const text of ['200ms', '100ms-400ms', 'normal:200ms,50ms', 'exp:150ms']) expect(formatLatency(parseLatency(text))).toBe(text);
  });

  it('refuses a range whose upper bound is below its lower one', () => {
    expect(() => parseLatency('400ms-100ms')).toThrow('the upper bound is below the lower one');
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
