import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { nextRequest } from '../src/mix.ts';
import { parseLoadOptions } from '../src/options.ts';
import { conditionOf, describeChange } from '../src/report.ts';
import { runLoad } from '../src/run.ts';
import { Stats } from '../src/stats.ts';

describe('loadgen options', () => {
  it('default to about 20 requests per second against the local frontend, unbounded', () => {
    expect(parseLoadOptions([], {})).toEqual({ rate: 20, durationMs: Infinity, count: Infinity, target: 'http://127.0.0.1:8080', everyMs: 60_000, concurrency: 100 });
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

describe('when loadgen prints', () => {
  const window = (ok: number, errors: number, refused = 0): Stats => {
    const stats = new Stats();
    for (let i = 0; i < ok; i++) stats.record({ status: 200, ms: 5 });
    for (let i = 0; i < errors; i++) stats.record({ status: 500, ms: 5 });
    for (let i = 0; i < refused; i++) stats.record({ failed: 'refused', ms: 1 });
    return stats;
  };

  it('says nothing new while the error share stays in its band', () => {
    expect(describeChange(conditionOf(window(100, 0)), conditionOf(window(90, 0)))).toBeUndefined();
    expect(describeChange(conditionOf(window(60, 40)), conditionOf(window(55, 45)))).toBeUndefined();
  });

  it('names a change of the 5xx share, its end, and the frontend going down and coming back', () => {
    const calm = conditionOf(window(100, 0));
    const half = conditionOf(window(50, 50));
    const down = conditionOf(window(0, 0, 20));
    expect(describeChange(calm, half)).toBe('server errors now 20–50% of requests');
    expect(describeChange(half, calm)).toBe('server errors stopped');
    expect(describeChange(calm, down)).toBe('requests refused: the frontend is down');
    expect(describeChange(down, calm)).toBe('no more refused');
  });

  it('prints a line as soon as the target starts failing, and no periodic line before a minute', async () => {
    let failing = false;
    const server = http.createServer((_req, res) => void res.writeHead(failing ? 500 : 200, { 'content-type': 'application/json' }).end('{}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const lines: string[] = [];
    const run = runLoad({ ...parseLoadOptions(['--rate', '50', '--every', '1m'], {}), target: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }, (line) =>
      lines.push(line),
    );
    await new Promise((resolve) => setTimeout(resolve, 5500)); // one check: nothing changed yet
    expect(lines).toHaveLength(1); // the start line only
    failing = true;
    await new Promise((resolve) => setTimeout(resolve, 6500)); // the next check (at 10 s) sees it
    run.stop();
    await run.done;
    server.close();
    expect(lines[1]).toMatch(/^server errors now \d+–\d+% of requests: [\d.]+ req\/s {2}2xx \d+/);
    expect(lines.at(-1)).toMatch(/^done: \d+ requests/);
    expect(lines).toHaveLength(3);
  }, 20_000);
});
