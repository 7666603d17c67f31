import { afterEach, describe, expect, it } from 'vitest';
import { LABEL, METRIC } from '../src/index.js';
import { closeAll, samples, scrape, startApp } from './helpers.js';

afterEach(closeAll);

const value = (text: string, metric: string, resource: string) => {
  const line = samples(text, metric).find((l) => l.includes(`${LABEL.resource}="${resource}"`));
  return line === undefined ? undefined : Number(line.split(' ').pop());
};

describe('resource tracking (USE)', () => {
  it('exports capacity, in use, waiting and errors of a resource', async () => {
    const t = await startApp(() => {});
    const pool = t.telemetry.resource('search-pool', { capacity: 2 });
    const r1 = await pool.acquire();
    const r2 = await pool.acquire();
    const third = pool.acquire();
    pool.error();
    let text = await scrape(t.base);
    expect(value(text, METRIC.resourceCapacity, 'search-pool')).toBe(2);
    expect(value(text, METRIC.resourceInUse, 'search-pool')).toBe(2);
    expect(value(text, METRIC.resourceWaiting, 'search-pool')).toBe(1);
    expect(value(text, METRIC.resourceErrors, 'search-pool')).toBe(1);
    r1();
    r1(); // a second release of the same unit changes nothing
    const r3 = await third;
    expect(pool.inUse).toBe(2);
    expect(pool.waiting).toBe(0);
    r2();
    r3();
    text = await scrape(t.base);
    expect(value(text, METRIC.resourceInUse, 'search-pool')).toBe(0);
    expect(value(text, METRIC.resourceWaiting, 'search-pool')).toBe(0);
  });

  it('runs work holding a unit, queues callers past capacity, and counts a failure as an error', async () => {
    const t = await startApp(() => {});
    const pool = t.telemetry.resource('workers', { capacity: 1 });
    let concurrent = 0;
    let peak = 0;
    const job = (ms: number) =>
      pool.run(async () => {
        peak = Math.max(peak, ++concurrent);
        await new Promise((r) => setTimeout(r, ms));
        concurrent--;
        return ms;
      });
    const results = await Promise.all([job(10), job(5), job(1)]);
    expect(results).toEqual([10, 5, 1]);
    expect(peak).toBe(1);
    await expect(pool.run(() => Promise.reject(new Error('worker died')))).rejects.toThrow('worker died');
    expect(value(await scrape(t.base), METRIC.resourceErrors, 'workers')).toBe(1);
    expect(pool.inUse).toBe(0);
  });

  it('admits waiting callers when capacity grows, and returns the same tracker for the same name', async () => {
    const t = await startApp(() => {});
    const pool = t.telemetry.resource('conn', { capacity: 1 });
    await pool.acquire();
    const waiting = pool.acquire();
    expect(pool.waiting).toBe(1);
    expect(t.telemetry.resource('conn', { capacity: 2 })).toBe(pool);
    await waiting;
    expect(pool.inUse).toBe(2);
  });

  it('rejects a bad name or capacity with a message naming it', async () => {
    const t = await startApp(() => {});
    expect(() => t.telemetry.resource('pool', { capacity: 0 })).toThrow('Invalid option "capacity": got 0 - expected a positive integer');
    expect(() => t.telemetry.resource('has space', { capacity: 1 })).toThrow(/Invalid option "resource name": got "has space"/);
  });
});
