/**
 * Hostile traffic for two of the soak's faults, sent beside the steady load until told to stop:
 *
 * - a flood of distinct random URL paths, each request also carrying request-ID and trace-context
 *   headers at or past their limits (or malformed);
 * - clients that hang up mid-request (headers or body cut short) and mid-response.
 *
 * A request with bad headers must still be answered as if they were absent (Periscope replaces
 * what it cannot use); anything else is counted as a failure.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { HEADER } from '@periscope/instrument/contract';

/** What a flood did. */
export interface FloodResult {
  requests: number;
  distinctPaths: number;
  /** Answers other than the expected 404 (random path) or 200 (bad headers on a real route). */
  unexpected: number;
  examples: string[];
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/** Runs `step(i)` (i = 0, 1, 2 … across all workers) in `concurrency` loops until `stop()`; then resolves to `result`. */
function untilStopped<R>(concurrency: number, result: R, step: (i: number) => Promise<void>): { stop(): Promise<R> } {
  let running = true;
  let n = 0;
  const worker = async () => {
    while (running) await step(n++);
  };
  const workers = Array.from({ length: concurrency }, worker);
  return {
    async stop() {
      running = false;
      await Promise.all(workers);
      return result;
    },
  };
}

/** Header sets at and past the limits Periscope and W3C set: request ID 128 chars, tracestate 32 members / 512 chars, baggage 180 members / 8192 bytes. */
export function hostileHeaders(i: number): Record<string, string> {
  const traceparent = `00-${hex(16)}-${hex(8)}-01`;
  const variants: Array<Record<string, string>> = [
    { [HEADER.requestId]: 'r'.repeat(128), [HEADER.traceparent]: traceparent },
    { [HEADER.requestId]: 'r'.repeat(129), [HEADER.traceparent]: `${traceparent}-extra` },
    { [HEADER.requestId]: 'bad id with spaces <script>', [HEADER.traceparent]: '00-00000000000000000000000000000000-0000000000000000-01' },
    { [HEADER.traceparent]: 'ff-zz', [HEADER.tracestate]: Array.from({ length: 32 }, (_, k) => `k${k}=v${k}`).join(',') },
    { [HEADER.traceparent]: traceparent, [HEADER.tracestate]: Array.from({ length: 40 }, (_, k) => `vendor${k}=${'x'.repeat(20)}`).join(',') },
    { [HEADER.traceparent]: traceparent, [HEADER.baggage]: Array.from({ length: 180 }, (_, k) => `k${k}=v`).join(',') },
    { [HEADER.traceparent]: traceparent, [HEADER.baggage]: Array.from({ length: 200 }, (_, k) => `key${k}=${'v'.repeat(40)}`).join(',') },
    { [HEADER.baggage]: '=;;,,=%zz,k=v;prop;=', [HEADER.tracestate]: '=,,==,' + 'a'.repeat(600) },
  ];
  return variants[i % variants.length]!;
}

/**
 * Sends requests to `baseUrl` with `concurrency` workers until `stop()` resolves or `maxPaths`
 * distinct paths were sent: every other request a random path (expects 404), the rest a real
 * route `okPath` (expects 200), all with {@link hostileHeaders}.
 */
export function startFlood(baseUrl: string, okPath: string, maxPaths: number, concurrency = 8): { stop(): Promise<FloodResult> } {
  const result: FloodResult = { requests: 0, distinctPaths: 0, unexpected: 0, examples: [] };
  return untilStopped(concurrency, result, async (i) => {
    const random = i % 2 === 0 && result.distinctPaths < maxPaths;
    const path = random ? `/flood/${hex(6)}/${i}` : okPath;
    if (random) result.distinctPaths++;
    try {
      const res = await fetch(`${baseUrl}${path}`, { headers: hostileHeaders(i), signal: AbortSignal.timeout(10_000) });
      await res.arrayBuffer();
      if (res.status !== (random ? 404 : 200)) {
        result.unexpected++;
        if (result.examples.length < 5) result.examples.push(`${path} → ${res.status}`);
      }
    } catch (err) {
      result.unexpected++;
      if (result.examples.length < 5) result.examples.push(`${path} → ${(err as Error).message}`);
    }
    result.requests++;
  });
}

/** What the hang-ups did. */
export interface HangupResult {
  midRequest: number;
  midResponse: number;
}

function hangUp(host: string, port: number, payload: string, waitForResponse: boolean): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port }, () => socket.write(payload));
    const done = () => {
      socket.destroy();
      resolve();
    };
    socket.setTimeout(3_000, done);
    socket.on('error', done);
    socket.on('close', done);
    if (waitForResponse) socket.once('data', done);
    else setTimeout(done, 20);
  });
}

/**
 * Until stopped, opens connections to `baseUrl` that end early, in turn: headers cut short, a
 * JSON body cut short, and a response cut after its first bytes (the page `responsePath`).
 */
export function startHangups(baseUrl: string, bodyPath: string, responsePath: string, concurrency = 4): { stop(): Promise<HangupResult> } {
  const { hostname, port } = new URL(baseUrl);
  const result: HangupResult = { midRequest: 0, midResponse: 0 };
  return untilStopped(concurrency, result, async (i) => {
    if (i % 3 === 0) {
      await hangUp(hostname, Number(port), `GET ${responsePath} HTTP/1.1\r\nHost: soak\r\nX-Request-ID: soak-hangup-`, false);
      result.midRequest++;
    } else if (i % 3 === 1) {
      const body = '{"username":"ada","pass';
      await hangUp(hostname, Number(port), `POST ${bodyPath} HTTP/1.1\r\nHost: soak\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n${body}`, false);
      result.midRequest++;
    } else {
      await hangUp(hostname, Number(port), `GET ${responsePath} HTTP/1.1\r\nHost: soak\r\n\r\n`, true);
      result.midResponse++;
    }
  });
}
