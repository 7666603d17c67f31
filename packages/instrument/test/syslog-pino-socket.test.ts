/**
 * Why the shipper does not use pino-socket (TLS, reconnect, a recovery queue) with pino-syslog
 * (RFC 5424 formatting): their documented options, used as their READMEs say, against rsyslog
 * and small collectors on loopback. Each case shows a guarantee they cannot hold, so it fails
 * when upstream fixes it; the same case for our shipper is in syslog.test.ts,
 * syslog-rsyslog.test.ts and syslog-tls.test.ts. src/logging/syslog/README.md sums them up.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex, Writable } from 'node:stream';
import { createServer as createTlsServer } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hasRsyslog, hasRsyslogTls, startRsyslog } from '../../../tools/testing/rsyslog.ts';
import type { Rsyslog } from '../../../tools/testing/rsyslog.ts';
import { waitFor } from '../../../tools/testing/wait.ts';
import { hasOpenssl, makeTestPki } from './syslog/certs.js';
import type { TestPki } from './syslog/certs.js';

const load = createRequire(__filename);
const pinoSyslog = load('pino-syslog') as (options: Record<string, unknown>) => Promise<Duplex>;
const pinoSocket = load('pino-socket') as (options: Record<string, unknown>) => Promise<Writable>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A line as Periscope writes it: `level` a word, `time` ISO 8601 (the telemetry contract). */
const periscopeLine = (over: Record<string, unknown> = {}) =>
  `${JSON.stringify({ level: 'info', time: '2026-12-03T10:00:00.123Z', service: 'users', hostname: 'h', pid: 7, request_id: 'req-1', msg: 'hello', ...over })}\n`;
/** A line as pino writes it by default: `level` a number, `time` epoch milliseconds. */
const pinoLine = (over: Record<string, unknown> = {}) => `${JSON.stringify({ level: 30, time: 1796292000123, hostname: 'h', pid: 7, msg: 'hello', ...over })}\n`;

/** pino-syslog as a transport stream (its pipelining mode): lines in, formatted messages out. */
async function formatter(options: Record<string, unknown> = {}) {
  const stream = await pinoSyslog({ appname: 'users', ...options });
  const out: string[] = [];
  const errors: Error[] = [];
  stream.on('data', (d: Buffer | string) => out.push(String(d)));
  stream.on('error', (e: Error) => errors.push(e));
  return { stream, out, errors };
}

/** Resolves with what `promise` gives within `ms`, or 'pending'. */
const within = <T>(promise: Promise<T>, ms: number): Promise<T | 'pending'> => Promise.race([promise, sleep(ms).then(() => 'pending' as const)]);

describe('pino-syslog, through its documented options', () => {
  it('gives a Periscope line (level as a word) no valid PRI: it maps numeric pino levels only', async () => {
    const { stream, out } = await formatter();
    stream.write(periscopeLine({ time: 1796292000123 }));
    await waitFor('a message', () => out.length > 0, 2_000, 10);
    // Our shipper: <134>1 (local0.info); rsyslog-parsed severity 6 in syslog-rsyslog.test.ts.
    expect(out[0]).toMatch(/^<NaN>1 /);
  });

  it("stops for good at the first line whose time is ISO 8601, the contract's format: every later line is lost, silently", async () => {
    const { stream, out, errors } = await formatter();
    stream.write(pinoLine({ msg: 'before' }));
    stream.write(periscopeLine());
    await sleep(50);
    stream.write(pinoLine({ msg: 'after' }));
    await sleep(50);
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/fromMillis requires a numerical input/)]);
    expect(stream.destroyed).toBe(true);
    expect(out).toHaveLength(1);
    expect(out[0]).toContain('"before"');
  });

  it('drops the milliseconds of the time, and frames a message only with a newline, never with an octet count', async () => {
    const { stream, out } = await formatter({ newline: true });
    stream.write(pinoLine());
    await waitFor('a message', () => out.length > 0, 2_000, 10);
    // 1796292000123 ms is 2026-12-03T10:00:00.123Z; the header keeps whole seconds only.
    expect(out[0]).toMatch(/^<134>1 2026-12-03T10:00:00Z h users 7 - - \{/);
    // Non-transparent framing (RFC 6587 3.4.2): no "LEN " before the message, a newline after it.
    expect(out[0]).not.toMatch(/^\d+ </);
    expect(out[0]!.endsWith('}\n')).toBe(true);
  });
});

describe.skipIf(!hasOpenssl)('pino-socket over TLS, through its documented options', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('has no option for a CA, a client certificate or a server name: given anyway, they are ignored', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'periscope-psock-tls-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '1', '-subj', '/CN=collector', '-addext', 'subjectAltName=IP:127.0.0.1'], { cwd: dir, stdio: 'ignore' });
    const cert = readFileSync(join(dir, 'cert.pem'));
    const sockets = new Set<Socket>();
    const server = createTlsServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(r));
    });
    const port = (server.address() as AddressInfo).port;
    // The collector's own certificate as the CA, the way our shipper is given one (syslog.tls.ca):
    // verification would pass, if the CA reached tls.connect. It does not, so the connection
    // never opens (pino-socket's promise waits for 'open').
    const opening = pinoSocket({ mode: 'tcp', secure: true, address: '127.0.0.1', port, ca: cert, servername: '127.0.0.1' });
    opening.then((s) => cleanups.push(() => s.destroy())).catch(() => undefined);
    expect(await within(opening, 2_000)).toBe('pending');
    expect(sockets.size).toBe(0);
  });
});

describe.skipIf(!hasRsyslog || !hasRsyslogTls || !hasOpenssl)('pino-socket to rsyslog over TLS', () => {
  let pki: TestPki;
  let anon: Rsyslog;
  let mutual: Rsyslog;
  beforeAll(async () => {
    pki = makeTestPki();
    const tls = { caFile: pki.caFile, certFile: pki.serverCertFile, keyFile: pki.serverKeyFile };
    anon = await startRsyslog({ tls });
    mutual = await startRsyslog({ tls: { ...tls, authMode: 'x509/certvalid' } });
  }, 30_000);
  afterAll(async () => {
    await anon?.dispose();
    await mutual?.dispose();
    pki?.remove();
  });

  it('reaches a collector signed by a private CA only with verification off (noverify), and cannot present a client certificate', async () => {
    // The only way in is noverify: true (no authentication of the collector: an impostor is reached
    // as well). The client certificate given is ignored, so an rsyslog that requires one gets nothing.
    const options = { mode: 'tcp', secure: true, noverify: true, address: '127.0.0.1', cert: pki.pem(pki.clientCertFile), key: pki.pem(pki.clientKeyFile) };
    const message = (id: string) => `<134>1 - h users 7 - - {"request_id":"${id}"}\n`;
    const unverified = await pinoSocket({ ...options, port: anon.tlsPort });
    unverified.write(message('req-psock-noverify'));
    const toMutual = await pinoSocket({ ...options, port: mutual.tlsPort });
    toMutual.on('socketError', () => undefined);
    toMutual.write(message('req-psock-mtls'));
    await waitFor('the unverified line in rsyslog', async () => (await anon.received(0)).some((r) => r.msg.includes('req-psock-noverify')), 10_000, 50);
    await sleep(1_000);
    unverified.destroy();
    toMutual.destroy();
    expect((await mutual.received(0)).some((r) => r.msg.includes('req-psock-mtls'))).toBe(false);
  });
});

describe.skipIf(!hasRsyslog)('pino-socket to rsyslog while it is down', () => {
  let rsyslog: Rsyslog;
  beforeAll(async () => {
    rsyslog = await startRsyslog();
  });
  afterAll(async () => {
    await rsyslog?.dispose();
  });

  it('bounds its recovery queue and resumes by itself, but drops the oldest records silently: nothing counts them', async () => {
    const socket = await pinoSocket({
      mode: 'tcp', address: '127.0.0.1', port: rsyslog.port, reconnect: true, recovery: true, recoveryQueueMaxSize: 20_000,
      backoffStrategy: { name: 'exponential', initialDelay: 20, maxDelay: 200 },
    });
    const events: Record<string, number> = {};
    for (const name of ['socketError', 'socketClose', 'close', 'open', 'reconnectFailure', 'error', 'drop', 'warning']) {
      socket.on(name, () => (events[name] = (events[name] ?? 0) + 1));
    }
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      await rsyslog.stop();
      await waitFor('the disconnect', () => (events.socketClose ?? 0) > 0 || (events.socketError ?? 0) > 0, 5_000, 10);
      const record = (i: number) => `<134>1 - h users 7 - - {"request_id":"req-psock-down-${i}","pad":"${'x'.repeat(60)}"}\n`;
      for (let i = 0; i < 2_000; i++) socket.write(record(i));
      await sleep(300);
      await rsyslog.start();
      const got = await waitFor('the newest record', async () => {
        const ids = rsyslog.raw().filter((l) => l.includes('req-psock-down-'));
        return ids.some((l) => l.includes('"req-psock-down-1999"')) ? ids : undefined;
      }, 10_000, 50);
      // Bounded (our shipper too: syslog.queue.maxRecords / maxBytes): about 20 000 bytes of records kept.
      expect(got.length).toBeGreaterThan(0);
      expect(got.length).toBeLessThan(400);
      // The other ~1 700 records are gone, and nothing said so: no event, no warning, no count
      // (our shipper counts each in periscope_syslog_dropped_total{reason="buffer_full"}).
      expect(Object.keys(events).filter((e) => !['socketError', 'socketClose', 'open'].includes(e))).toEqual([]);
      expect(warnings.filter((w) => /queue|evict|drop/i.test(w))).toEqual([]);
      // And a failure is reported per record written while down, not once per outage.
      expect(events.socketError).toBeGreaterThan(100);
    } finally {
      process.off('warning', onWarning);
      socket.destroy();
    }
  }, 30_000);
});
