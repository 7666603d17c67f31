import { describe, expect, it } from 'vitest';
import { RssHistory, rssSettled } from '../settle.ts';

const MiB = 1024 * 1024;
const series = (values: number[], stepMs = 5_000) => values.map((v, i) => ({ at: i * stepMs, rssBytes: v * MiB }));

describe('settled RSS', () => {
  it('needs a full window of samples', () => {
    const s = series([100, 100, 100]);
    expect(rssSettled(s, 10_000)).toBe(false);
  });

  it('is settled when the last minute stays within 2 %, whatever came before', () => {
    const climbing = [100, 120, 140, 160, 180, 180, 180, 181, 181, 182, 182, 182, 183, 183, 183, 183, 183];
    const s = series(climbing);
    const now = s[s.length - 1]!.at;
    expect(rssSettled(s, now)).toBe(true);
    expect(rssSettled(s.slice(0, 10), s[9]!.at)).toBe(false);
  });

  it('is not settled while RSS still climbs', () => {
    const s = series(Array.from({ length: 20 }, (_, i) => 100 + i));
    expect(rssSettled(s, s[s.length - 1]!.at)).toBe(false);
  });

  it('waits for every service', () => {
    const h = new RssHistory();
    for (let i = 0; i <= 14; i++) {
      h.add('users', { at: i * 5_000, rssBytes: 100 * MiB });
      h.add('frontend', { at: i * 5_000, rssBytes: (100 + 3 * i) * MiB });
    }
    expect(h.allSettled(70_000)).toBe(false);
    for (let i = 15; i <= 30; i++) {
      h.add('users', { at: i * 5_000, rssBytes: 100 * MiB });
      h.add('frontend', { at: i * 5_000, rssBytes: 150 * MiB });
    }
    expect(h.allSettled(150_000)).toBe(true);
  });
});
