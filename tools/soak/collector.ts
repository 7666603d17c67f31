/**
 * The OTLP collector stand-in: a loopback HTTP server taking OTLP/HTTP JSON on `/v1/traces` and
 * counting the spans it received per `service.instance.id`. Its modes are the soak's OTLP faults:
 *
 * - `normal`: answers 200 and counts;
 * - `blackhole`: accepts TCP connections and never reads or answers them;
 * - `refuse`: the port is closed (connections are refused).
 *
 * It always listens on the same port, so a service's exporter sees the outage and the recovery.
 */
import http from 'node:http';
import net from 'node:net';
import type { Socket } from 'node:net';
import { LOOPBACK } from '../testing/process.ts';

/** How the stand-in answers. */
export type CollectorMode = 'normal' | 'blackhole' | 'refuse';

/** The running stand-in. */
export interface Collector {
  /** `http://127.0.0.1:<port>`, the value of `OTEL_EXPORTER_OTLP_ENDPOINT`. */
  readonly url: string;
  mode(): CollectorMode;
  /** Switches mode (resolves once the port answers, hangs or refuses as asked). */
  setMode(mode: CollectorMode): Promise<void>;
  /** Spans received per `service.instance.id` (or `service.name` when the instance ID is missing). */
  spans(): Readonly<Record<string, number>>;
  /** Export requests it could not parse. */
  readonly badRequests: number;
  close(): Promise<void>;
}

interface OtlpAttribute {
  key?: string;
  value?: { stringValue?: string };
}
interface OtlpBody {
  resourceSpans?: Array<{
    resource?: { attributes?: OtlpAttribute[] };
    scopeSpans?: Array<{ spans?: unknown[] }>;
  }>;
}

/** Adds the spans of one OTLP JSON body to `counts`, keyed by instance ID. Throws on a body that is not OTLP JSON. */
export function countSpans(body: unknown, counts: Record<string, number>): number {
  const resourceSpans = (body as OtlpBody | null)?.resourceSpans;
  if (!Array.isArray(resourceSpans)) throw new Error('not an OTLP traces body: no resourceSpans array');
  let total = 0;
  for (const rs of resourceSpans) {
    const attrs = rs.resource?.attributes ?? [];
    const attr = (key: string) => attrs.find((a) => a.key === key)?.value?.stringValue;
    const who = attr('service.instance.id') ?? attr('service.name') ?? 'unknown';
    const n = (rs.scopeSpans ?? []).reduce((sum, ss) => sum + (ss.spans?.length ?? 0), 0);
    counts[who] = (counts[who] ?? 0) + n;
    total += n;
  }
  return total;
}

/** Starts the stand-in in `normal` mode on a free loopback port. */
export async function startCollector(): Promise<Collector> {
  const counts: Record<string, number> = {};
  let badRequests = 0;
  let current: CollectorMode = 'normal';
  const held = new Set<Socket>();

  const otlp = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        countSpans(JSON.parse(Buffer.concat(chunks).toString('utf8')), counts);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } catch {
        badRequests++;
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"message":"bad OTLP body"}');
      }
    });
  });
  // The blackhole: connections are accepted (the kernel completes the handshake) and left alone.
  const blackhole = net.createServer((socket) => {
    held.add(socket);
    socket.pause();
    socket.on('error', () => {});
    socket.on('close', () => held.delete(socket));
  });

  const listen = (server: net.Server, port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, LOOPBACK, () => {
        server.off('error', reject);
        resolve();
      });
    });
  const close = (server: net.Server) =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      if (server instanceof http.Server) server.closeAllConnections();
    });

  await listen(otlp, 0);
  const port = (otlp.address() as net.AddressInfo).port;

  return {
    url: `http://${LOOPBACK}:${port}`,
    mode: () => current,
    async setMode(mode) {
      if (mode === current) return;
      // Held sockets go first: a server's close waits for its connections to end.
      for (const socket of held) socket.destroy();
      await close(otlp);
      await close(blackhole);
      if (mode === 'normal') await listen(otlp, port);
      if (mode === 'blackhole') await listen(blackhole, port);
      current = mode;
    },
    spans: () => ({ ...counts }),
    get badRequests() {
      return badRequests;
    },
    async close() {
      for (const socket of held) socket.destroy();
      await close(otlp);
      await close(blackhole);
    },
  };
}
