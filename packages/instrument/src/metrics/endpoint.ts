/**
 * `GET /metrics`: the registry in the format the scraper asks for, on the app or on a separate
 * port that is not exposed with the public API.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { METRICS_PATH } from '../core/names.js';
import { OPENMETRICS_CONTENT_TYPE, PROMETHEUS_CONTENT_TYPE, renderRegistry, wantsOpenMetrics } from './exposition.js';

/**
 * Serves the exposition of `registry` on `res`, streamed in pieces as it renders so a large
 * registry neither blocks the event loop nor builds one huge string; rendering waits while the
 * scraper does not read, so a slow one never makes the process hold the whole text. A rendering
 * failure before the first piece answers 500; after it, the connection is cut so the scrape
 * fails visibly.
 */
export function serveMetrics(registry: Registry, req: IncomingMessage, res: ServerResponse, onError: (err: unknown) => void): void {
  const openMetrics = wantsOpenMetrics(req.headers.accept);
  const head = req.method === 'HEAD';
  const start = () => {
    if (!res.headersSent) {
      res.writeHead(200, { 'content-type': openMetrics ? OPENMETRICS_CONTENT_TYPE : PROMETHEUS_CONTENT_TYPE, 'cache-control': 'no-store' });
    }
  };
  renderRegistry(registry, {
    openMetrics,
    onChunk: (chunk) => {
      start();
      if (head || res.destroyed) return undefined;
      return res.write(chunk) ? undefined : drainedOrClosed(res);
    },
  }).then(
    () => {
      start();
      res.end();
    },
    (err: unknown) => {
      onError(err);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('metrics rendering failed\n');
    },
  );
}

/** Settles when `res` can take more, or when its connection is gone. */
function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** A metrics server on its own port. */
export interface MetricsServer {
  readonly server: Server;
  /** The port it listens on (useful when asked for port 0). */
  port(): number;
  close(): Promise<void>;
}

/** Starts serving `/metrics` on `host:port`. */
export function startMetricsServer(registry: Registry, host: string, port: number, onError: (err: unknown) => void): MetricsServer {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if ((req.method === 'GET' || req.method === 'HEAD') && path === METRICS_PATH) {
      serveMetrics(registry, req, res, onError);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found; metrics are at /metrics\n');
  });
  server.on('error', onError);
  server.listen(port, host);
  server.unref();
  return {
    server,
    port: () => (server.address() as AddressInfo | null)?.port ?? port,
    close: () =>
      new Promise((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Where `/metrics` is served: on the app's own port, or on a separate one. */
export interface MetricsEndpoint {
  /** Serves `/metrics` on the app's port when no separate port is configured; true when it answered. */
  handle(req: IncomingMessage, res: ServerResponse, path: string): boolean;
  /** Stops the separate server, if any. */
  close(): Promise<void>;
}

/** Serves `registry` on `metricsPort` when one is given, else on the app (`GET`/`HEAD /metrics`). */
export function createMetricsEndpoint(
  registry: Registry,
  opts: { readonly metricsPort: number | undefined; readonly metricsHost: string },
  report: (kind: string, err: unknown) => void,
): MetricsEndpoint {
  if (opts.metricsPort !== undefined) {
    const server = startMetricsServer(registry, opts.metricsHost, opts.metricsPort, (err) => report('metrics server', err));
    return { handle: () => false, close: () => server.close() };
  }
  return {
    handle(req, res, path) {
      if (path !== METRICS_PATH || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
      serveMetrics(registry, req, res, (err) => report('metrics rendering', err));
      return true;
    },
    close: async () => {},
  };
}
