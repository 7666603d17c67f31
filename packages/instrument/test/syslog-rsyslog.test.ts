/**
 * Syslog shipping against a real rsyslog: what arrives, what happens while it is down, and that
 * shipping resumes on its own when it is back.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { createSyslogShipper } from '../src/logging/syslog/index.js';
import type { SyslogShipper, SyslogShipperOptions } from '../src/logging/syslog/index.js';
import { hasRsyslog, openSockets, startRsyslog } from '../../../tools/testing/rsyslog.ts';
import type { Rsyslog } from '../../../tools/testing/rsyslog.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A pino logger shaped like the package's, writing its JSON lines to `shipper` and to `stdout`. */
function loggerInto(shipper: SyslogShipper, stdout: string[]) {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      const line = chunk.toString();
      stdout.push(line);
      shipper.write(line);
      done();
    },
  });
  return pino(
    {
      messageKey: 'msg',
      base: { service: 'users', version: '1.2.3' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    sink,
  );
}

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

describe.skipIf(!hasRsyslog)('syslog shipping to rsyslog', () => {
  let rsyslog: Rsyslog;
  const shippers: SyslogShipper[] = [];
  const ship = (opts: Partial<SyslogShipperOptions> & { target: string }) => {
    const s = createSyslogShipper({ appName: 'users', onError: () => undefined, ...opts });
    shippers.push(s);
    return s;
  };

  beforeAll(async () => {
    rsyslog = await startRsyslog();
  });
  afterAll(async () => {
    await Promise.all(shippers.map((s) => s.close()));
    await rsyslog?.dispose();
  });

  it('delivers each JSON line over TCP as an RFC 5424 message whose body is the same JSON object', async () => {
    const shipper = ship({ target: `tcp://127.0.0.1:${rsyslog.port}`, hostname: 'host-a' });
    const stdout: string[] = [];
    const logger = loggerInto(shipper, stdout);
    for (let i = 0; i < 50; i++) logger.child({ request_id: `req-tcp-${i}` }).info({ i, text: 'é "quoted" ünïcode ✓' }, 'hello');
    logger.child({ request_id: 'req-tcp-err' }).error('it broke');
    await shipper.flush(5_000);

    const mine = (await rsyslog.received(51)).filter((r) => r.msg.includes('req-tcp-'));
    expect(mine).toHaveLength(51);
    for (const [i, r] of mine.entries()) {
      expect(r.appName).toBe('users');
      expect(r.hostname).toBe('host-a');
      expect(r.procId).toBe(String(process.pid));
      expect(r.facility).toBe(16);
      expect(JSON.parse(r.msg)).toEqual(JSON.parse(stdout[i]!));
    }
    expect(JSON.parse(mine[0]!.msg).request_id).toBe('req-tcp-0');
    expect(mine[0]!.severity).toBe(6);
    expect(mine[50]!.severity).toBe(3);
    // rsyslog's TIMESTAMP is the record's own time, to the millisecond.
    expect(Date.parse(mine[0]!.timestamp)).toBe(Date.parse(JSON.parse(stdout[0]!).time));
    expect(shipper.sent).toBe(51);
    expect(shipper.dropped).toBe(0);
  });

  it('delivers each JSON line over UDP as one datagram', async () => {
    const shipper = ship({ target: `udp://127.0.0.1:${rsyslog.port}` });
    const logger = loggerInto(shipper, []);
    for (let i = 0; i < 5; i++) logger.warn({ request_id: `req-udp-${i}` }, 'over udp');
    await shipper.flush(5_000);
    await until(() => rsyslog.raw().filter((l) => l.includes('req-udp-')).length >= 5, 5_000);
    const mine = (await rsyslog.received()).filter((r) => r.msg.includes('req-udp-'));
    expect(mine).toHaveLength(5);
    expect(mine.map((r) => JSON.parse(r.msg).request_id)).toEqual(['req-udp-0', 'req-udp-1', 'req-udp-2', 'req-udp-3', 'req-udp-4']);
    expect(mine.every((r) => r.severity === 4)).toBe(true);
  });

  it('ships an oversized record as a smaller JSON object that still parses and keeps its request_id', async () => {
    for (const url of [`tcp://127.0.0.1:${rsyslog.port}`, `udp://127.0.0.1:${rsyslog.port}`]) {
      const shipper = ship({ target: url, maxMessageBytes: 4_096 });
      const logger = loggerInto(shipper, []);
      const id = `req-big-${url.slice(0, 3)}`;
      logger.info({ request_id: id, blob: 'x'.repeat(200_000) }, 'y'.repeat(20_000));
      await shipper.flush(5_000);
      await until(() => rsyslog.raw().some((l) => l.includes(id)), 5_000);
      const [r] = (await rsyslog.received()).filter((m) => m.msg.includes(id));
      const body = JSON.parse(r!.msg);
      expect(body).toMatchObject({ request_id: id, service: 'users', level: 'info', truncated: true });
      expect(body.original_bytes).toBeGreaterThan(220_000);
      expect(body.blob).toBeUndefined();
      expect(Buffer.byteLength(rsyslog.raw().find((l) => l.includes(id))!)).toBeLessThanOrEqual(4_096);
      expect(shipper.truncated).toBe(1);
    }
  });

  it('keeps writing without throwing while rsyslog is down, bounds its buffer, counts drops and resumes by itself', async () => {
    const errors: Error[] = [];
    const drops: Record<string, number> = {};
    const shipper = ship({
      target: `tcp://127.0.0.1:${rsyslog.port}`,
      queue: { maxRecords: 1_000 },
      reconnect: { baseDelayMs: 20, maxDelayMs: 200 },
      onError: (err) => errors.push(err),
      onDrop: (n, reason) => (drops[reason] = (drops[reason] ?? 0) + n),
    });
    const logger = loggerInto(shipper, []);
    expect(await until(() => shipper.connected, 5_000)).toBe(true);
    const socketsBefore = openSockets(); // includes the one connection to rsyslog

    await rsyslog.stop();
    expect(await until(() => !shipper.connected, 5_000)).toBe(true);

    // Baseline in the same run: the same lines through a logger with no shipper behind it.
    const bare = pino({ messageKey: 'msg', timestamp: pino.stdTimeFunctions.isoTime }, new Writable({ write: (_c, _e, done) => done() }));
    const timed = (log: (i: number) => void): number => {
      const t0 = performance.now();
      for (let i = 0; i < 5_000; i++) log(i);
      return performance.now() - t0;
    };
    const baseline = timed((i) => bare.info({ request_id: `req-bare-${i}` }, 'while down'));
    let thrown = 0;
    const writing = timed((i) => {
      try {
        logger.info({ request_id: `req-down-${i}` }, 'while down');
      } catch {
        thrown++;
      }
    });
    await sleep(300); // reconnect attempts keep failing meanwhile
    expect(thrown).toBe(0);
    // Nothing waits on the collector: shipping adds encoding and queueing, never a wait.
    expect(writing).toBeLessThan(baseline * 5 + 1_000);
    expect(shipper.buffered).toBeLessThanOrEqual(1_000);
    expect(shipper.dropped).toBeGreaterThanOrEqual(4_000);
    expect(drops.buffer_full).toBe(shipper.dropped);
    expect(errors).toHaveLength(1); // one outage, one report, however many attempts failed
    expect(errors[0]!.message).toMatch(/ECONNREFUSED|closed/);
    expect(openSockets()).toBeLessThanOrEqual(socketsBefore); // no socket left behind by the retries

    await rsyslog.start();
    expect(await until(() => shipper.connected, 5_000)).toBe(true);
    logger.info({ request_id: 'req-after-restart' }, 'back');
    await shipper.flush(5_000);
    expect(await until(() => rsyslog.raw().some((l) => l.includes('req-after-restart')), 5_000)).toBe(true);
    // The newest records buffered during the outage arrive too, the last one among them.
    expect(rsyslog.raw().some((l) => l.includes('"req-down-4999"'))).toBe(true);
    expect(shipper.buffered).toBe(0);
    expect(openSockets()).toBeLessThanOrEqual(socketsBefore);
  });
});
