/**
 * The alert receiver: a small webhook server Alertmanager delivers to. It prints one readable line
 * per notification (firing or resolved) and keeps the notifications for tests to inspect.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { LOOPBACK, portFromEnv } from '../../shared/src/topology.ts';
import { COMPONENTS } from './components.ts';

/** One alert inside a notification (Alertmanager webhook payload, version 4). */
export interface ReceivedAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
}

/** One notification as received. */
export interface Notification {
  receivedAt: Date;
  /** The webhook path it arrived on, e.g. `/paging`. */
  path: string;
  receiver: string;
  /** `firing` while any alert of the group fires; `resolved` once every one has resolved. */
  status: 'firing' | 'resolved';
  /** Identifies the group: every notification of one group (one page) carries the same key. */
  groupKey: string;
  groupLabels: Record<string, string>;
  alerts: ReceivedAlert[];
}

/** A running receiver. */
export interface Receiver {
  readonly url: string;
  readonly port: number;
  /** Every notification received so far (the most recent 1000), oldest first. */
  notifications(): Notification[];
  /** Resolves with the first notification (already received or future) matching `predicate`. */
  waitFor(predicate: (n: Notification) => boolean, timeoutMs: number): Promise<Notification>;
  close(): Promise<void>;
}

const MAX_KEPT = 1000;
const MAX_BODY_BYTES = 1 << 20;

/** Starts the receiver on 127.0.0.1:`port` (0 = any free port); `print` gets one line per notification. */
export async function startReceiver(port: number, print: (line: string) => void = () => {}): Promise<Receiver> {
  const kept: Notification[] = [];
  const waiters = new Set<(n: Notification) => void>();
  const server = http.createServer((req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(req.url === '/' ? 200 : 405, { 'content-type': 'text/plain' }).end('Periscope alert receiver: POST Alertmanager webhooks here.\n');
      return;
    }
    readJson(req)
      .then((payload) => toNotification(req.url ?? '/', payload))
      .then(
        (notification) => {
          kept.push(notification);
          if (kept.length > MAX_KEPT) kept.shift();
          print(formatNotification(notification));
          for (const waiter of waiters) waiter(notification);
          res.writeHead(200).end();
        },
        (err: Error) => res.writeHead(400, { 'content-type': 'text/plain' }).end(`${err.message}\n`),
      );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://${LOOPBACK}:${actual}`,
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

/** Reads an Alertmanager webhook payload; throws `Error` when it is not one. */
export function toNotification(path: string, payload: unknown): Notification {
  const body = payload as Partial<{ receiver: string; status: string; groupKey: string; groupLabels: Record<string, string>; alerts: ReceivedAlert[] }> | null;
  if (!body || !Array.isArray(body.alerts) || (body.status !== 'firing' && body.status !== 'resolved')) {
    throw new Error('not an Alertmanager webhook payload (expected status and alerts)');
  }
  return {
    receivedAt: new Date(),
    path,
    receiver: body.receiver ?? '',
    status: body.status,
    groupKey: body.groupKey ?? '',
    groupLabels: body.groupLabels ?? {},
    alerts: body.alerts,
  };
}

/**
 * One line per notification, e.g.
 * `[alert] 12:01:07 FIRING   AvailabilityErrorBudgetBurn service=users severity=critical → paging: A service is …`
 * The alert named is a firing one while the group fires; a group that still fires but has
 * resolved some of its alerts says how many of each (`(1 firing, 1 resolved)`).
 */
export function formatNotification(n: Notification): string {
  const first = n.alerts.find((a) => a.status === n.status) ?? n.alerts[0];
  const labels = first?.labels ?? n.groupLabels;
  const name = labels.alertname ?? 'alert';
  const context = ['service', 'job', 'severity', 'resource', 'http_route', 'instance']
    .filter((key) => labels[key] !== undefined)
    .map((key) => `${key}=${labels[key]}`)
    .join(' ');
  const resolved = n.alerts.filter((a) => a.status === 'resolved').length;
  const count =
    n.status === 'firing' && resolved > 0
      ? ` (${n.alerts.length - resolved} firing, ${resolved} resolved)`
      : n.alerts.length > 1
        ? ` (${n.alerts.length} alerts)`
        : '';
  const summary = first?.annotations.summary ? `: ${first.annotations.summary}` : '';
  const time = n.receivedAt.toTimeString().slice(0, 8);
  return `[alert] ${time} ${n.status.toUpperCase().padEnd(8)} ${name}${context ? ` ${context}` : ''}${count} → ${n.receiver || n.path}${summary}`;
}

// `node demo-services/launcher/src/receiver.ts`: the receiver on its own, printing each
// notification (the compose stack runs it in Alertmanager's network namespace, so the shipped
// webhooks on 127.0.0.1:9099 reach it). RECEIVER_PORT moves it.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { port, env } = COMPONENTS.receiver;
  const receiver = await startReceiver(portFromEnv(env, port), (line) => console.log(line));
  console.log(`alert receiver listening on ${receiver.url}; Alertmanager webhooks: ${receiver.url}/paging, ${receiver.url}/team`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void receiver.close().then(() => process.exit(0)));
}
