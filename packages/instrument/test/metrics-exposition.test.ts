/**
 * How `/metrics` is written: in small pieces, and only as fast as the scraper reads. Both keep a
 * large registry from costing the process memory it does not give back (found by the soak's
 * 10k-series fault).
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { Gauge, Histogram, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { serveMetrics } from '../src/metrics/endpoint.js';
import { CHUNK_LINES, renderRegistry } from '../src/metrics/exposition.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A registry with a gauge of `n` series (labels `labelBytes` long) and a small histogram. */
function registryWith(n: number, labelBytes = 8): Registry {
  const registry = new Registry();
  const gauge = new Gauge({ name: 'big_gauge', help: 'many series', labelNames: ['k'], registers: [registry] });
  const pad = 'x'.repeat(labelBytes);
  for (let i = 0; i < n; i++) gauge.set({ k: `${pad}${i}` }, i);
  const histogram = new Histogram({ name: 'small_seconds', help: 'a histogram', labelNames: ['r'], registers: [registry] });
  for (let i = 0; i < 40; i++) histogram.observe({ r: `/r${i}` }, i / 100);
  return registry;
}

describe('rendering in pieces', () => {
  it.each([false, true])('hands over at most CHUNK_LINES lines at a time, byte for byte the whole text (OpenMetrics: %s)', async (openMetrics) => {
    const registry = registryWith(10_000);
    const chunks: string[] = [];
    await renderRegistry(registry, { openMetrics, onChunk: (c) => void chunks.push(c) });
    const whole = await renderRegistry(registry, { openMetrics });
    expect(chunks.join('')).toBe(whole);
    expect(whole.split('\n').length).toBeGreaterThan(10_000);
    // A piece ends at the first series that reaches CHUNK_LINES: here one line each, plus a
    // metric's # HELP and # TYPE.
    expect(Math.max(...chunks.map((c) => c.split('\n').length - 1))).toBeLessThanOrEqual(CHUNK_LINES + 2);
  });

  it('renders nothing more until the promise onChunk returned settles', async () => {
    let release: () => void = () => undefined;
    const chunks: string[] = [];
    const done = renderRegistry(registryWith(2_000), {
      openMetrics: false,
      onChunk: (c) => {
        chunks.push(c);
        if (chunks.length === 1) return new Promise<void>((r) => (release = r));
        return undefined;
      },
    });
    await sleep(50);
    expect(chunks).toHaveLength(1);
    release();
    await done;
    expect(chunks.length).toBeGreaterThan(2_000 / CHUNK_LINES);
  });
});

describe('GET /metrics to a slow scraper', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    server = undefined;
  });

  /** Serves `registry` at /metrics; `written()` is the bytes handed to the response so far. */
  async function serveCounting(registry: Registry): Promise<{ port: number; written: () => number }> {
    let written = 0;
    server = createServer((req, res) => {
      const write = res.write.bind(res) as (chunk: string) => boolean;
      res.write = ((chunk: string) => {
        written += Buffer.byteLength(chunk);
        return write(chunk);
      }) as typeof res.write;
      serveMetrics(registry, req, res, (err) => {
        throw err;
      });
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    return { port: (server.address() as AddressInfo).port, written: () => written };
  }

  /** Asks for /metrics and reads nothing. */
  function stalledScrape(port: number): Socket {
    const socket = connect(port, '127.0.0.1');
    socket.pause();
    socket.write('GET /metrics HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n');
    return socket;
  }

  it('writes only as fast as the scraper reads, and the scrape is whole once it does', async () => {
    // About 12 MB of exposition, more than the kernel's socket buffers take from a peer that
    // does not read.
    const { port, written } = await serveCounting(registryWith(24_000, 500));
    const socket = stalledScrape(port);
    await sleep(500);
    const whileStalled = written();
    const received: Buffer[] = [];
    socket.on('data', (d: Buffer) => received.push(d));
    socket.resume();
    await new Promise((r) => socket.once('end', r));
    const body = Buffer.concat(received).toString();
    expect(written()).toBeGreaterThan(12_000_000);
    expect(whileStalled).toBeLessThan(written() / 2);
    expect(body).toContain(`big_gauge{k="${'x'.repeat(500)}23999"} 23999`);
    expect(body).toContain('small_seconds_count{r="/r39"} 1');
    expect(body.endsWith('\r\n0\r\n\r\n')).toBe(true); // the chunked body's last chunk: nothing cut
  });

  it('finishes rendering when a scraper it is waiting for hangs up, so nothing stays pending', async () => {
    const registry = registryWith(24_000, 500);
    let rendered = false;
    // Registered last: its collect() runs only once rendering got past the stalled part.
    new Gauge({ name: 'last_gauge', help: 'rendered last', registers: [registry], collect: () => void (rendered = true) });
    const { port, written } = await serveCounting(registry);
    const socket = stalledScrape(port);
    await sleep(300);
    expect(rendered).toBe(false); // waiting for the scraper
    socket.destroy();
    const deadline = Date.now() + 5_000;
    while (!rendered && Date.now() < deadline) await sleep(20);
    expect(rendered).toBe(true);
    expect(written()).toBeLessThan(12_000_000); // nothing more was written for the gone scraper
  });
});
