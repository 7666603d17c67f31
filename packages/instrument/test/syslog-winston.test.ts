/**
 * Why the shipper does not use winston-syslog's transport (see the comment at the top of
 * src/logging/syslog/shipper.ts): its documented options, used as its README says, against
 * small collectors on loopback. Each case shows a guarantee it cannot hold; the same case for our
 * shipper is in syslog.test.ts and syslog-tls.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../../tools/testing/process.ts';
import { waitFor } from '../../../tools/testing/wait.ts';
import { hasOpenssl } from './syslog/certs.js';

const load = createRequire(__filename);
type Logger = { info(msg: string): void; close(): void };
type TransportCtor = new (options: Record<string, unknown>) => { on(event: string, fn: (e: Error) => void): void; close(): void };
const winston = load('winston') as { createLogger(o: Record<string, unknown>): Logger; config: { syslog: { levels: Record<string, number> } } };
const { Syslog } = load('winston-syslog') as { Syslog: TransportCtor };

describe('winston-syslog, through its documented options', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  function logger(options: Record<string, unknown>): { log: Logger; errors: Error[] } {
    const transport = new Syslog({ host: '127.0.0.1', type: '5424', app_name: 'users', ...options });
    const errors: Error[] = [];
    transport.on('error', (e) => errors.push(e));
    const log = winston.createLogger({ levels: winston.config.syslog.levels, transports: [transport] });
    cleanups.push(() => transport.close());
    return { log, errors };
  }

  async function listen(server: Server, port = 0): Promise<number> {
    const sockets = new Set<Socket>();
    server.on('connection', (socket: Socket) => sockets.add(socket));
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    cleanups.push(() => {
      for (const socket of sockets) socket.destroy();
      return new Promise((r) => server.close(r));
    });
    return (server.address() as AddressInfo).port;
  }

  it.skipIf(!hasOpenssl)('sends over TLS to a collector whose certificate nothing trusts, even with rejectUnauthorized: true', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'periscope-winston-tls-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '1', '-subj', '/CN=impostor'], { cwd: dir, stdio: 'ignore' });
    const received: Buffer[] = [];
    const server = createTlsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (socket) => {
      socket.on('data', (d: Buffer) => received.push(d));
      socket.on('error', () => undefined);
    });
    const port = await listen(server);
    const { log } = logger({ port, protocol: 'tls4', rejectUnauthorized: true });
    log.info('a secret log line');
    // Our shipper refuses this collector (syslog.test.ts: "refuses a collector whose certificate it does not trust").
    await waitFor('the line at the untrusted collector', () => Buffer.concat(received).includes('a secret log line'), 5_000, 20);
  });

  it('holds every record while the collector is down, with no bound and no error, and writes them back to back without framing', async () => {
    const port = await freePort();
    const { log, errors } = logger({ port, protocol: 'tcp4' });
    for (let i = 0; i < 2_000; i++) log.info(`record-${i}`);
    const received: Buffer[] = [];
    await listen(createServer((socket) => socket.on('data', (d: Buffer) => received.push(d))), port);
    // Its first retry comes 1 s after the failed connect; then the whole backlog arrives at once.
    const all = await waitFor('the backlog', () => {
      const text = Buffer.concat(received).toString();
      return text.includes('record-1999') ? text : undefined;
    }, 10_000, 50);
    // Every one of the 2 000 records was kept while down (our queue keeps syslog.queue.maxRecords and counts the rest).
    expect(all.match(/record-\d+/g)).toHaveLength(2_000);
    // No error reached the transport's 'error' event while the collector was down.
    expect(errors).toEqual([]);
    // No RFC 6587 framing: no octet count, no newline between messages.
    expect(all).toMatch(/record-0"\}<\d+>1 /);
  }, 20_000);
});
