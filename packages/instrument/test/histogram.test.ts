import { describe, expect, it } from 'vitest';
import { BoundedHistogram } from '../src/metrics/histogram.js';

const histogram = (maxSeries: number) => new BoundedHistogram({ name: 'h_seconds', help: 'h', labelNames: ['m', 'r', 's'], buckets: [0.1, 1], maxSeries });

describe('series of a three-label histogram found by their values', () => {
  it('gives one series per label set, the same one each time', () => {
    const h = histogram(10);
    const a = h.seriesOf('GET', '/a', '200');
    expect(h.seriesOf('GET', '/a', '200')).toBe(a);
    expect(h.seriesOf('GET', '/a', '500')).not.toBe(a);
    expect(h.seriesOf('GET', '/a b', '200')).not.toBe(h.seriesOf('GET', '/a', 'b 200'));
    expect(h.allSeries()).toHaveLength(4);
  });

  it('sends label sets past the cap to the overflow series, asking the cap for each sample', () => {
    let turnedAway = 0;
    const h = new BoundedHistogram({
      name: 'h_seconds', help: 'h', labelNames: ['m', 'r', 's'], buckets: [0.1, 1], maxSeries: 2,
      overflow: { admits: (_m, held, max) => held < max || (turnedAway++, false) },
    });
    h.seriesOf('GET', '/1', '200');
    h.seriesOf('GET', '/2', '200');
    for (let i = 0; i < 100; i++) h.observe(h.seriesOf('GET', `/x${i % 5}`, '200'), 0.5);
    const all = h.allSeries();
    expect(all).toHaveLength(3);
    expect(all[2]!.labelValues).toEqual(['overflow', 'overflow', 'overflow']);
    expect(all[2]!.count).toBe(100);
    expect(turnedAway).toBe(100);
  });

  it('forgets them on reset, so later samples land in series that are reported', async () => {
    const h = histogram(10);
    h.observe(h.seriesOf('GET', '/a', '200'), 0.05);
    h.reset();
    h.observe(h.seriesOf('GET', '/a', '200'), 0.05);
    const count = (await h.get()).values.find((v) => v.metricName === 'h_seconds_count');
    expect(count?.value).toBe(1);
  });
});
