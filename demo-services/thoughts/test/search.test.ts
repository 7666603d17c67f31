import { afterEach, describe, expect, it } from 'vitest';
import { SearchIndex } from '../src/search-index.ts';
import { createSearchPool, PoolBusyError } from '../src/search-pool.ts';
import type { SearchPool } from '../src/search-pool.ts';

const thought = (id: string, text: string, createdAt = '2026-01-01T00:00:00Z') => ({ id, text, author: 'ada', createdAt });

/** A stand-in for the package's tracker: limits concurrency and counts waiting callers. */
function fakeTracker(capacity: number) {
  let inUse = 0;
  const queue: Array<() => void> = [];
  return {
    get waiting() {
      return queue.length;
    },
    maxInUse: 0,
    async run<T>(fn: () => T | Promise<T>): Promise<T> {
      if (inUse >= capacity) await new Promise<void>((resolve) => queue.push(resolve));
      inUse++;
      this.maxInUse = Math.max(this.maxInUse, inUse);
      try {
        return await fn();
      } finally {
        inUse--;
        queue.shift()?.();
      }
    },
  };
}

describe('the search index', () => {
  it('finds thoughts containing every query word as a word prefix, best match first', () => {
    const index = new SearchIndex();
    index.add(thought('t1', 'The loom weaves patterns'));
    index.add(thought('t2', 'Loom and looms: a loom story'));
    index.add(thought('t3', 'Nothing to see'));
    expect(index.search('loo', 10).map((h) => h.id)).toEqual(['t2', 't1']);
    expect(index.search('loom patt', 10).map((h) => h.id)).toEqual(['t1']);
    expect(index.search('  ', 10)).toEqual([]);
  });
});

describe('the search pool', () => {
  let pool: SearchPool | undefined;
  afterEach(async () => pool?.close());

  it('runs searches in worker threads, never more at once than its size', async () => {
    const tracker = fakeTracker(2);
    pool = createSearchPool({ size: 2, tracker, snapshot: () => [thought('t1', 'queue theory'), thought('t2', 'event loop')], delayMs: () => 20 });
    const results = await Promise.all(Array.from({ length: 6 }, () => pool!.search('queue', 5)));
    expect(results.every((hits) => hits.length === 1 && hits[0]!.id === 't1')).toBe(true);
    expect(tracker.maxInUse).toBe(2);
    pool.add([thought('t3', 'a queue that grows')]);
    expect((await pool.search('queue', 5)).map((h) => h.id).sort()).toEqual(['t1', 't3']);
  });

  it('refuses a search when its queue is full', async () => {
    const tracker = fakeTracker(1);
    pool = createSearchPool({ size: 1, tracker, snapshot: () => [], delayMs: () => 200, maxQueue: 1 });
    const first = pool.search('a', 1);
    const second = pool.search('b', 1);
    await expect(pool.search('c', 1)).rejects.toBeInstanceOf(PoolBusyError);
    await Promise.all([first, second]);
  });

  it('fails a search that outlives its timeout and keeps serving with a fresh worker', async () => {
    let delay = 5000;
    pool = createSearchPool({ size: 1, tracker: fakeTracker(1), snapshot: () => [thought('t1', 'slow pool')], delayMs: () => delay, taskTimeoutMs: 1000 });
    await expect(pool.search('slow', 1)).rejects.toThrow('search took longer than 1000 ms');
    delay = 0;
    expect(await pool.search('slow', 1)).toHaveLength(1);
  });
});
