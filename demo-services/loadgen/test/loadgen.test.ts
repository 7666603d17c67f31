import { describe, expect, it } from 'vitest';
import { nextRequest } from '../src/mix.ts';
import { parseLoadOptions } from '../src/options.ts';
import { Stats } from '../src/stats.ts';

describe('loadgen options', () => {
  it('default to about 20 requests per second against the local frontend, unbounded', () => {
    expect(parseLoadOptions([], {})).toEqual({ rate: 20, durationMs: Infinity, count: Infinity, target: 'http://127.0.0.1:8080', everyMs: 5000, concurrency: 100 });
  });

  it('bound a run by duration or count, and read the rate and target from flags or the environment', () => {
    expect(parseLoadOptions(['--duration', '30s', '--count', '500', '--target', 'http://127.0.0.1:9000/'], { LOADGEN_RATE: '5' })).toMatchObject({
      rate: 5,
      durationMs: 30_000,
      count: 500,
      target: 'http://127.0.0.1:9000',
    });
  });

  it('refuse a rate that is not a positive number', () => {
    expect(() => parseLoadOptions(['--rate', 'fast'], {})).toThrow('--rate must be a positive number, got "fast"');
  });
});

describe('the traffic mix', () => {
  it('mixes reads, searches, posts with a token, logins and deliberate 404s and 401s', () => {
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const actions = new Map<string, number>();
    for (let i = 0; i < 2000; i++) {
      const planned = nextRequest({ tokens: ['t'] }, random);
      actions.set(planned.action, (actions.get(planned.action) ?? 0) + 1);
    }
    for (const action of ['list', 'home', 'read', 'search', 'user', 'post', 'login', '404', '401', 'bad login']) expect(actions.get(action)).toBeGreaterThan(0);
    expect(actions.get('list')! / 2000).toBeCloseTo(0.3, 1);
  });

  it('logs in before posting when it holds no token yet', () => {
    const planned = nextRequest({ tokens: [] }, () => 0.75); // lands on the posting slot
    expect(planned.action).toBe('login');
  });
});

describe('progress lines', () => {
  it('show the rate, status classes, failures and latency percentiles', () => {
    const stats = new Stats();
    for (let ms = 1; ms <= 100; ms++) stats.record({ status: ms <= 90 ? 200 : 404, ms });
    stats.record({ failed: 'refused', ms: 1 });
    expect(stats.line(5)).toBe('20.2 req/s  2xx 90  4xx 10  5xx 0  refused 1  p50 50ms p95 95ms p99 99ms');
  });
});
