import { describe, expect, it } from 'vitest';
import { DEFAULT_ARGS, parseArgs } from '../args.ts';

describe('soak arguments', () => {
  it('reads --duration as a Prometheus duration', () => {
    expect(parseArgs(['--duration', '10m']).durationMs).toBe(600_000);
    expect(parseArgs(['--duration=1h30m']).durationMs).toBe(5_400_000);
  });

  it('refuses a duration it cannot read, naming the flag and the value', () => {
    expect(() => parseArgs(['--duration', 'ten minutes'])).toThrow('--duration "ten minutes" is not a duration: expected e.g. 800ms, 90s, 10m or 1h30m');
    expect(() => parseArgs(['--duration', ''])).toThrow('--duration "" is not a duration');
  });

  it('defaults to ten minutes at 40 requests per second', () => {
    expect(parseArgs([])).toEqual(DEFAULT_ARGS);
    expect(DEFAULT_ARGS.durationMs).toBe(600_000);
  });

  it('takes --duration, --rate and --out, with a space or an equals sign', () => {
    const args = parseArgs(['--duration', '1h', '--rate=20', '--out', '/tmp/x']);
    expect(args).toEqual({ durationMs: 3_600_000, rate: 20, outDir: '/tmp/x' });
  });

  it('refuses runs shorter than two minutes, bad rates and unknown flags', () => {
    expect(() => parseArgs(['--duration', '90s'])).toThrow('--duration 90s is too short: at least 2m');
    expect(() => parseArgs(['--rate', '0'])).toThrow('--rate "0" must be a number of requests per second from 1 to 500');
    expect(() => parseArgs(['--fast'])).toThrow('unknown option "--fast"');
    expect(() => parseArgs(['--rate'])).toThrow('--rate needs a value');
  });
});
