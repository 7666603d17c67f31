import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { countSpans, startCollector } from '../collector.ts';
import type { Collector } from '../collector.ts';

const body = (instance: string, spans: number) => ({
  resourceSpans: [{
    resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }, { key: 'service.instance.id', value: { stringValue: instance } }] },
    scopeSpans: [{ spans: Array.from({ length: spans }, () => ({})) }],
  }],
});

const post = (url: string, payload: unknown, timeoutMs = 2_000) =>
  fetch(`${url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload), signal: AbortSignal.timeout(timeoutMs) });

let collector: Collector | undefined;
afterEach(async () => {
  await collector?.close();
  collector = undefined;
});

describe('the OTLP collector stand-in', () => {
  it('counts spans per service.instance.id', () => {
    const counts: Record<string, number> = {};
    expect(countSpans(body('a-1', 3), counts)).toBe(3);
    countSpans(body('a-1', 2), counts);
    countSpans(body('b-1', 1), counts);
    expect(counts).toEqual({ 'a-1': 5, 'b-1': 1 });
    expect(() => countSpans({ nope: true }, counts)).toThrow('not an OTLP traces body');
  });

  it('answers 200 and counts in normal mode, 400 for a body that is not OTLP', async () => {
    collector = await startCollector();
    expect((await post(collector.url, body('x-1', 4))).status).toBe(200);
    expect((await post(collector.url, { foo: 1 })).status).toBe(400);
    expect(collector.spans()).toEqual({ 'x-1': 4 });
    expect(collector.badRequests).toBe(1);
  });

  it('accepts connections and never answers when blackholed, and refuses them when refusing', async () => {
    collector = await startCollector();
    await collector.setMode('blackhole');
    const connected = await new Promise<boolean>((resolve) => {
      const s = net.connect(Number(new URL(collector!.url).port), '127.0.0.1', () => (s.destroy(), resolve(true)));
      s.on('error', () => resolve(false));
    });
    expect(connected).toBe(true);
    await expect(post(collector.url, body('x-1', 1), 500)).rejects.toThrow();

    await collector.setMode('refuse');
    const error = await post(collector.url, body('x-1', 1)).catch((err: Error) => err);
    expect(String((error as Error & { cause?: { code?: string } }).cause?.code)).toBe('ECONNREFUSED');

    await collector.setMode('normal');
    expect((await post(collector.url, body('x-1', 2))).status).toBe(200);
    expect(collector.spans()).toEqual({ 'x-1': 2 });
  });
});
