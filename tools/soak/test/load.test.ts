import { afterEach, describe, expect, it, vi } from 'vitest';
import { keepToken } from '../load.ts';

describe('the soak token', () => {
  afterEach(() => vi.useRealTimers());

  it('is refreshed before it can expire, and a failed refresh keeps the previous one', async () => {
    vi.useFakeTimers();
    const answers: Array<string | Error> = ['t1', new Error('users is down'), 't3'];
    const login = vi.fn(async () => {
      const next = answers.shift()!;
      if (next instanceof Error) throw next;
      return next;
    });
    const keeper = await keepToken('http://127.0.0.1:1', 1_000, login);
    expect(keeper.current()).toBe('t1');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(keeper.current()).toBe('t1');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(keeper.current()).toBe('t3');
    keeper.stop();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(login).toHaveBeenCalledTimes(3);
  });
});
