/**
 * The admin listener of a demo service: a plain HTTP server bound to 127.0.0.1 (never the public
 * port, never reachable through the frontend) that reads and changes the service's faults.
 *
 *   GET    /faults   → the faults in force
 *   PUT    /faults   → merge a change, e.g. {"errorRate":0.5,"latency":"200ms"}
 *   DELETE /faults   → switch every fault off
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeFaults, parseFaultChange } from './faults.ts';
import type { FaultState, Faults } from './faults.ts';
import { LOOPBACK } from './topology.ts';

/** Path of the fault resource on the admin listener. */
export const FAULTS_PATH = '/faults';

/** Largest admin request body accepted. */
const MAX_BODY_BYTES = 4096;

/** Options of {@link startAdminServer}. */
export interface AdminServerOptions {
  port: number;
  faults: Faults;
  /** Called after every change, with the new state (the service logs it). */
  onChange?: (state: FaultState, summary: string) => void;
  /** Checks a change before it applies (e.g. a service without a pool refuses a slow pool); throws to refuse. */
  check?: (change: Partial<FaultState>) => void;
}

/** Starts the admin listener on 127.0.0.1 and resolves once it listens. */
export async function startAdminServer(options: AdminServerOptions): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    void handle(req, res, options);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, LOOPBACK, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

/** The port a started server listens on. */
export function portOf(server: http.Server): number {
  return (server.address() as AddressInfo).port;
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse, options: AdminServerOptions): Promise<void> {
  const send = (status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const remote = req.socket.remoteAddress ?? '';
  if (remote !== LOOPBACK && remote !== '::ffff:127.0.0.1' && remote !== '::1') return send(403, { error: 'admin API answers only on 127.0.0.1' });
  const path = new URL(req.url ?? '/', 'http://admin').pathname;
  if (path !== FAULTS_PATH) return send(404, { error: `no admin route ${path}; try ${FAULTS_PATH}` });
  const answer = (state: FaultState): void => {
    const summary = describeFaults(state);
    send(200, { faults: state, summary });
  };
  try {
    switch (req.method) {
      case 'GET':
        return answer(options.faults.get());
      case 'DELETE': {
        const state = options.faults.clear();
        options.onChange?.(state, describeFaults(state));
        return answer(state);
      }
      case 'PUT':
      case 'POST': {
        const change = parseFaultChange(JSON.parse(await readBody(req)));
        options.check?.(change);
        const state = options.faults.set(change);
        options.onChange?.(state, describeFaults(state));
        return answer(state);
      }
      default:
        res.setHeader('allow', 'GET, PUT, POST, DELETE');
        return send(405, { error: `method ${req.method} not allowed on ${FAULTS_PATH}` });
    }
  } catch (err) {
    send(400, { error: (err as Error).message });
  }
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error(`body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text.trim() === '' ? '{}' : text;
}
