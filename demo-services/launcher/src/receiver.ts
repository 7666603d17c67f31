/**
 * The alert receiver: a small web server on 127.0.0.1 that Alertmanager delivers to, and the
 * on-call view of the demo. It prints one readable line per notification (receiver-notification.ts)
 * and keeps the notifications for tests to inspect; it serves them as a page (`GET /`,
 * receiver-page.ts), the runbooks that alerts link to (`GET /runbooks/<file>.md`,
 * receiver-runbooks.ts), and short links that redirect to long URLs (`GET /graph/errors` → a
 * Prometheus graph), so the demo's banner prints links that fit on a line.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { LOOPBACK, portFromEnv } from '../../shared/src/topology.ts';
import { COMPONENTS } from './components.ts';
import { HTML_HEADERS, escapeHtml, htmlPage } from './receiver-html.ts';
import { formatNotification, toNotification } from './receiver-notification.ts';
import type { Notification } from './receiver-notification.ts';
import { notificationsPage } from './receiver-page.ts';
import { RUNBOOKS_DIR, runbookIndexPage, runbookPage } from './receiver-runbooks.ts';

export { formatNotification, toNotification } from './receiver-notification.ts';
export type { Notification, ReceivedAlert } from './receiver-notification.ts';

/** A running receiver. */
export interface Receiver {
  readonly url: string;
  readonly port: number;
  /** Every notification received so far (the most recent 1000), oldest first. */
  notifications(): Notification[];
  /** Resolves with the first notification (already received or future) matching `predicate`. */
  waitFor(predicate: (n: Notification) => boolean, timeoutMs: number): Promise<Notification>;
  /**
   * Makes `GET <path>` answer 302 to `target` (an absolute http(s) URL) and returns the short
   * link (`<url><path>`). `path` is one or more `/segment`s of letters, digits, `-` and `_`.
   */
  shortLink(path: string, target: string): string;
  close(): Promise<void>;
}

/** Options of {@link startReceiver}. */
export interface ReceiverOptions {
  /** Where the runbooks served under `/runbooks/` are. Default: the repository's `alerts/runbooks/`. */
  runbooksDir?: string;
  /** Short links to serve from the start, path → target (see {@link Receiver.shortLink}). */
  links?: Record<string, string>;
}

const MAX_KEPT = 1000;
const MAX_BODY_BYTES = 1 << 20;
const SHORT_PATH = /^(\/[A-Za-z0-9_-]+)+$/;
/** Paths the receiver serves itself; a short link may not take them. */
const RESERVED = /^\/(runbooks|paging|team)(\/|$)/;

type Respond = (status: number, headers: Record<string, string>, body?: string) => void;

/**
 * Starts the receiver on 127.0.0.1:`port` (0 = any free port); `print` gets one line per
 * notification.
 */
export async function startReceiver(port: number, print: (line: string) => void = () => {}, options: ReceiverOptions = {}): Promise<Receiver> {
  const kept: Notification[] = [];
  const waiters = new Set<(n: Notification) => void>();
  const links = new Map<string, string>();
  const runbooksDir = options.runbooksDir ?? RUNBOOKS_DIR;

  const keep = (notification: Notification): void => {
    kept.push(notification);
    if (kept.length > MAX_KEPT) kept.shift();
    print(formatNotification(notification));
    for (const waiter of waiters) waiter(notification);
  };

  const serveGet = async (path: string, respond: Respond): Promise<void> => {
    const notFound = () => respond(404, HTML_HEADERS, htmlPage('Not found', `<h1>Not found</h1><p>Nothing is served at <code>${escapeHtml(path)}</code>.</p>`));
    if (path === '/') return respond(200, HTML_HEADERS, notificationsPage(kept));
    if (path === '/runbooks' || path === '/runbooks/') return respond(200, HTML_HEADERS, await runbookIndexPage(runbooksDir));
    const runbook = /^\/runbooks\/([^/]+)$/.exec(path);
    if (runbook) {
      const page = await runbookPage(runbook[1]!, runbooksDir);
      return page === undefined ? notFound() : respond(200, HTML_HEADERS, page);
    }
    const target = links.get(path);
    if (target) return respond(302, { location: target, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }, `${target}\n`);
    return notFound();
  };

  const server = http.createServer((req, res) => {
    const respond: Respond = (status, headers, body) => {
      if (res.headersSent) return;
      res.writeHead(status, headers).end(req.method === 'HEAD' ? undefined : body);
    };
    let path: string;
    try {
      path = new URL(req.url ?? '/', 'http://receiver').pathname;
    } catch {
      return respond(400, { 'content-type': 'text/plain' }, 'bad request path\n');
    }
    const handled =
      req.method === 'POST'
        ? readJson(req)
            .then((payload) => toNotification(path, payload))
            .then(
            (notification) => {
              keep(notification);
              respond(200, {});
            },
            (err: Error) => respond(400, { 'content-type': 'text/plain' }, `${err.message}\n`),
          )
        : req.method === 'GET' || req.method === 'HEAD'
          ? serveGet(path, respond)
          : Promise.resolve(respond(405, { 'content-type': 'text/plain', allow: 'GET, HEAD, POST' }, 'GET pages, POST Alertmanager webhooks.\n'));
    handled.catch(() => respond(500, { 'content-type': 'text/plain' }, 'the receiver failed to answer\n'));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  const url = `http://${LOOPBACK}:${actual}`;

  const shortLink = (path: string, target: string): string => {
    if (!SHORT_PATH.test(path) || RESERVED.test(path)) throw new Error(`short link path "${path}" is not /segment[/segment…] of letters, digits, - and _, outside /runbooks, /paging and /team`);
    const parsed = new URL(target);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`short link target "${target}" is not an http(s) URL`);
    links.set(path, parsed.toString());
    return url + path;
  };
  for (const [path, target] of Object.entries(options.links ?? {})) shortLink(path, target);

  return {
    url,
    port: actual,
    notifications: () => [...kept],
    waitFor(predicate, timeoutMs) {
      const found = kept.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = (n: Notification): void => {
          if (!predicate(n)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(n);
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching alert notification within ${timeoutMs} ms (received ${kept.length})`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    shortLink,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('notification larger than 1 MiB');
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new Error('notification is not JSON');
  }
}

// `node demo-services/launcher/src/receiver.ts`: the receiver on its own, printing each
// notification (the compose stack runs it in Alertmanager's network namespace, so the shipped
// webhooks on 127.0.0.1:9099 reach it). RECEIVER_PORT moves it.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { port, env } = COMPONENTS.receiver;
  const receiver = await startReceiver(portFromEnv(env, port), (line) => console.log(line));
  console.log(`alert receiver on ${receiver.url}/ (notifications, runbooks under /runbooks/); Alertmanager webhooks: ${receiver.url}/paging, ${receiver.url}/team`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void receiver.close().then(() => process.exit(0)));
}
