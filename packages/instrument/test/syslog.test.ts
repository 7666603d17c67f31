/**
 * The syslog module's pieces without a collector: URL validation, option errors, severities,
 * message encoding and sizing, the bounded queue, the lazy loader, and failure handling against
 * small TCP servers that misbehave on purpose.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { createSyslogShipper, parseSyslogUrl, severityOf, SEVERITY } from '../src/logging/syslog/index.js';
import type { SyslogShipper } from '../src/logging/syslog/index.js';
import { cutUtf8, fitBody } from '../src/logging/syslog/body.js';
import { encodeMessage } from '../src/logging/syslog/message.js';
import type { MessageSettings } from '../src/logging/syslog/message.js';
import { BoundedQueue } from '../src/logging/syslog/queue.js';
import { openSockets } from '../../../tools/testing/rsyslog.ts';
import { freePort } from '../../../tools/testing/process.ts';
import { INVALID_OPTION } from '../src/core/errors.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const line = (fields: Record<string, unknown>) => JSON.stringify({ level: 'info', time: '2025-03-04T05:06:07.008Z', service: 'users', msg: 'hi', ...fields }) + '\n';

/** Matches a thrown error by its stable code and its exact message. */
const coded = (code: string, message: string) => expect.objectContaining({ code, message });

describe('parseSyslogUrl', () => {
  it('accepts tcp, tls and udp URLs with a host and a port', () => {
    expect(parseSyslogUrl('tcp://alloy:1514')).toEqual({ protocol: 'tcp', host: 'alloy', port: 1514 });
    expect(parseSyslogUrl('tls://logs.example.com:6514')).toEqual({ protocol: 'tls', host: 'logs.example.com', port: 6514 });
    expect(parseSyslogUrl('udp://[::1]:514')).toEqual({ protocol: 'udp', host: '::1', port: 514 });
  });

  it.each(['http://alloy:1514', 'tcp://alloy', 'tcp://alloy:0', 'tcp://alloy:70000', 'tcp://alloy:1514/path', 'tcp://u:p@alloy:1514', 'alloy:1514', ''])(
    'rejects %j with an error naming the option, the value and what was expected',
    (url) => {
      expect(() => parseSyslogUrl(url)).toThrow(
        coded(INVALID_OPTION, `Invalid option "syslog": got ${JSON.stringify(url)} - expected a URL tcp://host:port, tls://host:port or udp://host:port (port 1-65535)`),
      );
    },
  );

  it('rejects a non-string with a TypeError citing the option it came from', () => {
    expect(() => parseSyslogUrl(514, 'PERISCOPE_SYSLOG_URL')).toThrow(TypeError);
    expect(() => parseSyslogUrl(514, 'PERISCOPE_SYSLOG_URL')).toThrow(
      coded(INVALID_OPTION, 'Invalid option "PERISCOPE_SYSLOG_URL": got 514 (number) - expected a URL tcp://host:port, tls://host:port or udp://host:port (port 1-65535)'),
    );
  });
});

describe('createSyslogShipper options', () => {
  it('rejects a bad URL before opening any connection', () => {
    expect(() => createSyslogShipper({ target: 'tcp//nowhere', appName: 'users' })).toThrow(
      coded(INVALID_OPTION, 'Invalid option "syslog.target": got "tcp//nowhere" - expected a URL tcp://host:port, tls://host:port or udp://host:port (port 1-65535)'),
    );
  });

  it('rejects out-of-range numbers and a reconnect ceiling below its base', () => {
    expect(() => createSyslogShipper({ target: 'udp://127.0.0.1:9', appName: 'a', maxMessageBytes: 70_000 })).toThrow(
      coded(INVALID_OPTION, 'Invalid option "syslog.maxMessageBytes": got 70000 - expected an integer from 480 to 65507'),
    );
    expect(() => createSyslogShipper({ target: 'tcp://127.0.0.1:9', appName: 'a', queue: { maxRecords: 0 } })).toThrow(
      coded(INVALID_OPTION, 'Invalid option "syslog.queue.maxRecords": got 0 - expected an integer from 1 to 10000000'),
    );
    expect(() => createSyslogShipper({ target: 'tcp://127.0.0.1:9', appName: 'a', reconnect: { baseDelayMs: 500, maxDelayMs: 100 } })).toThrow(
      coded(INVALID_OPTION, 'Invalid option "syslog.reconnect.maxDelayMs": got 100 - expected an integer of at least syslog.reconnect.baseDelayMs (500)'),
    );
    expect(() => createSyslogShipper({ target: 'tcp://127.0.0.1:9', appName: '' })).toThrow(expect.objectContaining({ code: INVALID_OPTION }));
  });
});

describe('severityOf', () => {
  it('maps the package level words and pino numbers to syslog severities', () => {
    expect(['debug', 'info', 'warn', 'error', 'fatal'].map((level) => severityOf(line({ level })))).toEqual([
      SEVERITY.debug, SEVERITY.info, SEVERITY.warning, SEVERITY.error, SEVERITY.crit,
    ]);
    expect([10, 20, 30, 40, 50, 60].map((level) => severityOf(line({ level })))).toEqual([7, 7, 6, 4, 3, 2]);
  });

  it('uses notice for a line without a known level', () => {
    expect(severityOf('{"msg":"no level"}')).toBe(SEVERITY.notice);
    expect(severityOf(line({ level: 'verbose' }))).toBe(SEVERITY.notice);
  });
});

describe('message encoding', () => {
  const settings = (over: Partial<MessageSettings> = {}): MessageSettings => ({
    appName: 'users',
    procId: String(process.pid),
    hostname: 'host-1',
    facility: 16,
    maxMessageBytes: 8_192,
    framing: 'octet-counting',
    ...over,
  });

  it('frames a TCP message with its exact length in bytes and uses the record time as TIMESTAMP', () => {
    const jsonLine = line({ level: 'error', msg: 'ünïcødé ✓' });
    const encoded = encodeMessage(settings(), jsonLine)!;
    expect(encoded.bytes).toBe(Buffer.byteLength(encoded.frame));
    const [count, ...rest] = encoded.frame.split(' ');
    const message = rest.join(' ');
    expect(Number(count)).toBe(Buffer.byteLength(message));
    expect(message).toBe(`<131>1 2025-03-04T05:06:07.008Z host-1 users ${process.pid} - - ${jsonLine.trimEnd()}`);
  });

  it('sends UDP messages without a length prefix and keeps facility 0 (which glossy cannot express)', () => {
    const { frame } = encodeMessage(settings({ framing: 'none', facility: 0 }), line({ level: 'debug' }))!;
    expect(frame.startsWith('<7>1 2025-03-04T05:06:07.008Z ')).toBe(true);
  });

  it('falls back to the current time when the record has no RFC 3339 time', () => {
    const before = Date.now();
    const { frame } = encodeMessage(settings({ framing: 'none' }), '{"level":"info","time":1700000000000,"msg":"x"}')!;
    const stamp = Date.parse(frame.split(' ')[1]!);
    expect(stamp).toBeGreaterThanOrEqual(before - 1);
    expect(stamp).toBeLessThanOrEqual(Date.now() + 1);
  });

  it('shrinks an oversized record to valid JSON within the byte limit, keeping the correlation keys', () => {
    const big = line({ request_id: 'r-1', trace_id: 'a'.repeat(32), msg: 'é'.repeat(10_000), err: { type: 'Error', message: 'm'.repeat(9_000), stack: 's'.repeat(9_000) }, extra: 'z'.repeat(5_000) });
    const encoded = encodeMessage(settings({ framing: 'none', maxMessageBytes: 1_000 }), big)!;
    expect(encoded.truncated).toBe(true);
    expect(encoded.bytes).toBe(Buffer.byteLength(encoded.frame));
    expect(encoded.bytes).toBeLessThanOrEqual(1_000);
    const body = JSON.parse(encoded.frame.replace(/^(\S+ ){7}/, ''));
    expect(body).toMatchObject({ request_id: 'r-1', trace_id: 'a'.repeat(32), service: 'users', truncated: true, original_bytes: Buffer.byteLength(big) - 1 });
    expect(body.extra).toBeUndefined();
    expect(body.err.stack).toBeUndefined();
  });

  it('cuts a non-JSON line on a character boundary and gives up on a record that cannot fit at all', () => {
    expect(fitBody('ab✓✓', 4)).toEqual({ text: 'ab', bytes: 2, truncated: true });
    expect(fitBody('✓✓', 6)).toEqual({ text: '✓✓', bytes: 6, truncated: false });
    expect(cutUtf8('✓✓', 5)).toBe('✓');
    expect(fitBody(JSON.stringify({ level: 'info', request_id: 'x'.repeat(500), msg: 'm' }), 100)).toBeUndefined();
  });
});

describe('BoundedQueue', () => {
  interface Item { readonly n: number; readonly bytes: number }
  const b = (n: number): Item => ({ n, bytes: String(n).length });
  const sized = (bytes: number): Item => ({ n: -1, bytes });
  const nums = (q: BoundedQueue<Item>, n: number) => Array.from({ length: n }, () => q.shift()?.n);

  it('evicts the oldest item when full and reports the eviction', () => {
    const q = new BoundedQueue<Item>(3);
    expect([1, 2, 3].map((n) => q.push(b(n)))).toEqual([0, 0, 0]);
    expect(q.push(b(4))).toBe(1);
    expect(nums(q, 4)).toEqual([2, 3, 4, undefined]);
  });

  it('puts retried items back in front, discarding the oldest of them when there is no room', () => {
    const q = new BoundedQueue<Item>(4);
    q.push(b(10));
    q.push(b(11));
    q.push(b(12));
    expect(q.requeue([b(7), b(8), b(9)])).toBe(2);
    expect(nums(q, 4)).toEqual([9, 10, 11, 12]);
    expect(q.length).toBe(0);
  });

  it('holds no more bytes than maxBytes, evicting as many of the oldest as a new item needs', () => {
    const q = new BoundedQueue<Item>(100, 10);
    expect(q.push(sized(4))).toBe(0);
    expect(q.push(sized(4))).toBe(0);
    expect(q.bytes).toBe(8);
    expect(q.push(sized(9))).toBe(2);
    expect([q.length, q.bytes]).toEqual([1, 9]);
    expect(q.requeue([sized(2), sized(1)])).toBe(1); // the newest retried fits, the older does not
    expect([q.length, q.bytes]).toEqual([2, 10]);
    expect(q.push(sized(11))).toBe(1); // larger than the whole queue: not kept, counted
    expect([q.length, q.bytes]).toEqual([2, 10]);
  });
});

describe('failure handling', () => {
  const servers: Server[] = [];
  const sockets: Socket[] = [];
  const shippers: SyslogShipper[] = [];
  afterEach(async () => {
    await Promise.all(shippers.splice(0).map((s) => s.close()));
    for (const socket of sockets.splice(0)) socket.destroy();
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  });

  async function serve(onConnection: (socket: Socket) => void): Promise<{ port: number; connections: Socket[] }> {
    const connections: Socket[] = [];
    const server = createServer((socket) => {
      connections.push(socket);
      sockets.push(socket);
      socket.on('error', () => undefined);
      onConnection(socket);
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return { port: (server.address() as AddressInfo).port, connections };
  }


  it('reconnects when the collector closes the connection, reports each outage after a healthy connection, and leaves no socket behind', async () => {
    // Each connection stays up past HEALTHY_AFTER_MS (1 s) before the collector closes it.
    const { port, connections } = await serve((socket) => setTimeout(() => socket.end(), 1_100));
    const errors: Error[] = [];
    const baseline = openSockets();
    const shipper = createSyslogShipper({ target: `tcp://127.0.0.1:${port}`, appName: 'a', reconnect: { baseDelayMs: 10, maxDelayMs: 40 }, onError: (e) => errors.push(e) });
    shippers.push(shipper);
    const deadline = Date.now() + 5_000;
    while (connections.length < 3 && Date.now() < deadline) await sleep(10);
    expect(connections.length).toBeGreaterThanOrEqual(3);
    // Each connection was healthy before the collector closed it: one report per outage.
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(errors[0]!.message).toBe(`syslog: 127.0.0.1:${port} closed the connection`);
    // Our side: at most one socket open (plus the server's end of it), however many reconnections.
    expect(openSockets() - baseline).toBeLessThanOrEqual(2);
  });

  it('queues an outage in the JS heap, not in native buffers the process keeps after it drains', async () => {
    // Found by the soak: Buffers queued during a collector outage pinned 8 KiB pool slabs of
    // native memory, 2.7 to 3.5 times the bytes queued, and RSS kept them after the queue drained.
    const closed = await freePort(); // nothing listens: the collector is down
    const shipper = createSyslogShipper({ target: `tcp://127.0.0.1:${closed}`, appName: 'a', reconnect: { baseDelayMs: 60_000, maxDelayMs: 60_000 }, onError: () => undefined });
    shippers.push(shipper);
    const record = line({ request_id: 'r', pad: 'p'.repeat(300) });
    const before = process.memoryUsage().arrayBuffers;
    for (let i = 0; i < 10_000; i++) shipper.write(record);
    const grown = process.memoryUsage().arrayBuffers - before;
    expect(shipper.buffered).toBe(10_000); // about 4 MiB of messages waiting
    expect(grown).toBeLessThan(512 * 1024);
  });

  it('tears down a connection the collector stopped reading from and retries its unsent records', async () => {
    let stuck = true;
    const received: Buffer[] = [];
    const { port, connections } = await serve((socket) => {
      if (stuck) {
        stuck = false;
        socket.pause(); // accepts, never reads
      } else {
        socket.on('data', (d: Buffer) => received.push(d));
      }
    });
    const errors: Error[] = [];
    const shipper = createSyslogShipper({
      target: `tcp://127.0.0.1:${port}`, appName: 'a', maxMessageBytes: 60_000, queue: { maxRecords: 2_000, maxBytes: 200_000_000 },
      stallTimeoutMs: 300, reconnect: { baseDelayMs: 10, maxDelayMs: 20 }, onError: (e) => errors.push(e),
    });
    shippers.push(shipper);
    const deadline = Date.now() + 5_000;
    while (!shipper.connected && Date.now() < deadline) await sleep(10);
    for (let i = 0; i < 1_000; i++) shipper.write(line({ request_id: `r-${i}`, pad: 'p'.repeat(50_000) }));
    await shipper.flush(15_000);
    const has = (id: string) => Buffer.concat(received).includes(`"request_id":"${id}"`);
    const until = Date.now() + 10_000;
    while (!has('r-999') && Date.now() < until) await sleep(20);
    expect(connections).toHaveLength(2);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toBe(`syslog: 127.0.0.1:${port} stopped reading for 300 ms`);
    // The second connection got the last record: what the first still held was retried, not lost.
    expect(has('r-999')).toBe(true);
    // Every record is accounted for. Those the kernel accepted for the stuck peer within the last
    // second are counted as dropped, reason "unconfirmed": plain syslog has no acknowledgement.
    expect(shipper.sent + shipper.dropped).toBeGreaterThanOrEqual(1_000);
    expect(shipper.buffered).toBe(0);
  }, 30_000);

  it('counts what a connection that breaks may have taken with it, so lines lost in flight are never silent', async () => {
    // The collector reads 40 frames of the first connection, stops reading (the kernel still takes
    // what is sent) and resets it 100 ms later: what it had not read is lost in flight.
    const received: string[] = [];
    let first = true;
    const { port } = await serve((socket) => {
      const mine = first;
      first = false;
      let buf = '';
      socket.on('data', (d: Buffer) => {
        buf += d.toString('latin1');
        for (let m = /^(\d+) /.exec(buf); m && buf.length >= m[0].length + Number(m[1]); m = /^(\d+) /.exec(buf)) {
          received.push(buf.slice(m[0].length, m[0].length + Number(m[1])));
          buf = buf.slice(m[0].length + Number(m[1]));
          if (mine && received.length === 40) {
            socket.pause();
            setTimeout(() => socket.resetAndDestroy(), 100);
            return;
          }
        }
      });
    });
    const drops: [number, string][] = [];
    const shipper = createSyslogShipper({
      target: `tcp://127.0.0.1:${port}`, appName: 'a', reconnect: { baseDelayMs: 10, maxDelayMs: 20 }, onDrop: (n, reason) => drops.push([n, reason]), onError: () => undefined,
    });
    shippers.push(shipper);
    const deadline = Date.now() + 5_000;
    while (!shipper.connected && Date.now() < deadline) await sleep(10);
    for (let i = 0; i < 200; i++) {
      shipper.write(line({ request_id: `r-${i}` }));
      if (i % 10 === 9) await sleep(5);
    }
    await shipper.flush(5_000);
    await sleep(200);
    const arrived = new Set(received.map((m) => /"request_id":"(r-\d+)"/.exec(m)?.[1]));
    const unconfirmed = drops.filter(([, reason]) => reason === 'unconfirmed').reduce((n, [k]) => n + k, 0);
    expect(unconfirmed).toBeGreaterThan(0);
    // Produced = received (distinct) + counted as dropped, or more received than that: none silent.
    expect(arrived.size + shipper.dropped).toBeGreaterThanOrEqual(200);
  });

  it('over UDP, counts records a closed port refuses as dropped and reports the outage once', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const errors: Error[] = [];
    const drops: Record<string, number> = {};
    const shipper = createSyslogShipper({ target: `udp://127.0.0.1:${port}`, appName: 'a', onError: (e) => errors.push(e), onDrop: (n, r) => (drops[r] = (drops[r] ?? 0) + n) });
    shippers.push(shipper);
    for (let i = 0; i < 20; i++) {
      shipper.write(line({ i }));
      await sleep(5);
    }
    await shipper.flush(2_000);
    expect(drops.send_failed).toBeGreaterThan(0);
    expect(shipper.sent + shipper.dropped).toBe(20);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/ECONNREFUSED/);
  });

  it('drops and counts writes after close, and never throws on odd input', async () => {
    const drops: [number, string][] = [];
    const shipper = createSyslogShipper({ target: 'udp://127.0.0.1:9', appName: 'a', onDrop: (n, r) => drops.push([n, r]), onError: () => { throw new Error('hook failure'); } });
    await shipper.close();
    expect(() => shipper.write(line({}))).not.toThrow();
    expect(() => shipper.write(undefined as unknown as string)).not.toThrow();
    expect(drops).toContainEqual([1, 'closed']);
    expect(shipper.dropped).toBeGreaterThanOrEqual(1);
    expect(shipper.connected).toBe(false);
  });
});

/** Splits an RFC 6587 octet-counted stream into messages. */
function octetFrames(stream: Buffer): string[] {
  const messages: string[] = [];
  let offset = 0;
  while (offset < stream.length) {
    const space = stream.indexOf(0x20, offset);
    const length = Number(stream.subarray(offset, space).toString('ascii'));
    if (!Number.isInteger(length) || length <= 0) throw new Error(`bad frame length at ${offset}`);
    messages.push(stream.subarray(space + 1, space + 1 + length).toString('utf8'));
    offset = space + 1 + length;
  }
  return messages;
}

describe.skipIf(!existsSync('/usr/bin/openssl'))('TLS', () => {
  let dir: string;
  let key: Buffer;
  let cert: Buffer;
  const cleanups: (() => unknown)[] = [];

  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function tlsCollector(): Promise<{ port: number; received: Buffer[] }> {
    dir ??= mkdtempSync(join(tmpdir(), 'periscope-tls-'));
    if (!key) {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=collector', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
      key = readFileSync(join(dir, 'key.pem'));
      cert = readFileSync(join(dir, 'cert.pem'));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    }
    const received: Buffer[] = [];
    const server = createTlsServer({ key, cert }, (socket) => {
      socket.on('data', (d: Buffer) => received.push(d));
      socket.on('error', () => undefined);
    });
    server.on('tlsClientError', () => undefined);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => server.close(r)));
    return { port: (server.address() as AddressInfo).port, received };
  }

  it('ships octet-counted RFC 5424 frames over TLS to a collector whose certificate it trusts', async () => {
    const { port, received } = await tlsCollector();
    const shipper = createSyslogShipper({ target: `tls://127.0.0.1:${port}`, appName: 'users', tls: { ca: cert } });
    cleanups.push(() => shipper.close());
    for (let i = 0; i < 20; i++) shipper.write(line({ request_id: `tls-${i}`, msg: `über ${i}` }));
    await shipper.flush(5_000);
    const deadline = Date.now() + 5_000;
    while (Buffer.concat(received).length === 0 || !Buffer.concat(received).includes('tls-19')) {
      if (Date.now() > deadline) break;
      await sleep(20);
    }
    const messages = octetFrames(Buffer.concat(received));
    expect(messages).toHaveLength(20);
    expect(messages.map((m) => JSON.parse(m.slice(m.indexOf('{'))).request_id)).toEqual(Array.from({ length: 20 }, (_, i) => `tls-${i}`));
    expect(messages[0]).toMatch(/^<134>1 2025-03-04T05:06:07\.008Z \S+ users \d+ - - \{/);
  });

  it('refuses a collector whose certificate it does not trust: nothing sent, one error reported, the record counted as dropped', async () => {
    const { port, received } = await tlsCollector();
    const errors: Error[] = [];
    const drops: [number, string][] = [];
    const shipper = createSyslogShipper({
      target: `tls://127.0.0.1:${port}`, appName: 'users', reconnect: { baseDelayMs: 20, maxDelayMs: 50 },
      onError: (e) => errors.push(e), onDrop: (n, r) => drops.push([n, r]),
    });
    cleanups.push(() => shipper.close());
    shipper.write(line({ request_id: 'never' }));
    await sleep(400);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/self[- ]signed certificate/);
    expect(Buffer.concat(received).includes('never')).toBe(false);
    expect(shipper.connected).toBe(false);
    expect(shipper.buffered).toBe(0);
    expect(drops).toEqual([[1, 'tls_rejected']]);
  });

  it('encrypts without authenticating the collector when rejectUnauthorized is false', async () => {
    const { port, received } = await tlsCollector();
    const shipper = createSyslogShipper({ target: `tls://127.0.0.1:${port}`, appName: 'users', tls: { rejectUnauthorized: false } });
    cleanups.push(() => shipper.close());
    shipper.write(line({ request_id: 'unverified' }));
    await shipper.flush(5_000);
    const deadline = Date.now() + 5_000;
    while (!Buffer.concat(received).includes('unverified') && Date.now() < deadline) await sleep(20);
    expect(octetFrames(Buffer.concat(received))).toHaveLength(1);
    expect(shipper.dropped).toBe(0);
  });
});
