/**
 * An instrumented service shipping to a real rsyslog: requests keep succeeding at the same speed
 * while rsyslog is down, memory stays bounded, the log file (the stdout stand-in) keeps every
 * line, and shipping resumes on its own. Two ways in: a caller's pino logger with the shipper as
 * one of its destinations, and `instrument(app, { syslog })` (run once the package wires the
 * shipper in, i.e. src/ outside syslog/ calls createSyslogShipper).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSyslogShipper } from '../src/logging/syslog/index.js';
import type { SyslogShipper } from '../src/logging/syslog/index.js';
import { closeAll, readJsonLines, retainedHeap, startApp, tempDir, waitFor } from './helpers.js';
import type { TestApp } from './helpers.js';
import { hasRsyslog, startRsyslog } from '../../../tools/testing/rsyslog.ts';
import type { Rsyslog } from '../../../tools/testing/rsyslog.ts';

const SRC = join(__dirname, '..', 'src');
const wired = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts') && !f.startsWith('syslog'))
  .some((f) => readFileSync(join(SRC, f), 'utf8').includes('createSyslogShipper'));

/** Sends `n` GETs, `concurrency` at a time; returns each one's status and latency in ms. */
async function load(url: string, n: number, concurrency: number): Promise<{ status: number; ms: number; id: string }[]> {
  const results: { status: number; ms: number; id: string }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < n) {
      next++;
      const t0 = performance.now();
      const res = await fetch(url);
      await res.arrayBuffer();
      results.push({ status: res.status, ms: performance.now() - t0, id: res.headers.get('x-request-id') ?? '' });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const route = (app: TestApp['app']) => app.get('/work', (_req, res) => res.json({ ok: true }));

/** The app, and the file that receives every line (as stdout would). */
type Setup = (syslogUrl: string) => Promise<{ t: TestApp; logFile: string }>;

const shippers: SyslogShipper[] = [];

const throughLogger: Setup = async (syslogUrl) => {
  const shipper = createSyslogShipper({ target: syslogUrl, appName: 'test-svc', onError: () => undefined });
  shippers.push(shipper);
  const logFile = join(tempDir(), 'caller.log');
  const logger = pino(
    { messageKey: 'msg', timestamp: pino.stdTimeFunctions.isoTime, formatters: { level: (label) => ({ level: label }) } },
    pino.multistream([{ stream: pino.destination({ dest: logFile, sync: false }) }, { stream: { write: (line: string) => shipper.write(line) } }]),
  );
  const t = await startApp(route, { logger });
  return { t, logFile };
};

const throughOption: Setup = async (syslogUrl) => {
  const t = await startApp(route, { syslog: syslogUrl });
  return { t, logFile: t.logFile };
};

describe.skipIf(!hasRsyslog)('a service shipping its logs to rsyslog', () => {
  let rsyslog: Rsyslog;
  let rsyslogStopped = false;
  beforeAll(async () => {
    rsyslog = await startRsyslog();
  });
  afterEach(async () => {
    await closeAll();
    await Promise.all(shippers.splice(0).map((s) => s.close()));
    // A case that failed while rsyslog was stopped must not take the next case down with it.
    if (rsyslogStopped) {
      await rsyslog.start();
      rsyslogStopped = false;
    }
  });
  afterAll(async () => {
    await rsyslog?.dispose();
  });

  const ways = [
    { way: 'a caller logger with the shipper as a destination', setup: throughLogger, skip: false },
    { way: 'the syslog option', setup: throughOption, skip: !wired },
  ];
  for (const { way, setup, skip } of ways) {
    it.skipIf(skip)(`via ${way}: handles 5 000 requests while rsyslog is down as fast as before, keeps every line locally, and resumes shipping`, async () => {
      const { t, logFile } = await setup(`tcp://127.0.0.1:${rsyslog.port}`);
      const url = `${t.base}/work`;

      // Up: the access lines arrive, as JSON with their request IDs.
      const before = await load(url, 200, 20); // the baseline: same concurrency as below
      const ids = await waitFor(async () => {
        const got = new Set((await rsyslog.received(0, 0)).map((r) => JSON.parse(r.msg).request_id as string));
        return before.every((r) => got.has(r.id)) ? got : undefined;
      }, 10_000, 'the access lines of 200 requests in rsyslog');
      expect(ids!.size).toBeGreaterThanOrEqual(200);
      const shipped = await rsyslog.received();
      expect(shipped.every((r) => r.appName === 'test-svc')).toBe(true);

      // Down: every request succeeds, latency within noise, memory bounded.
      await rsyslog.stop();
      rsyslogStopped = true;
      const heapBefore = retainedHeap();
      const during = await load(url, 5_000, 20);
      const heapGrowth = retainedHeap() - heapBefore;
      expect(during.filter((r) => r.status !== 200)).toEqual([]);
      expect(median(during.map((r) => r.ms))).toBeLessThan(median(before.map((r) => r.ms)) * 3 + 5);
      expect(heapGrowth).toBeLessThan(64 * 1024 * 1024);
      const local = await waitFor(() => {
        const lines = readJsonLines(logFile).filter((l) => l.msg === 'request completed');
        return lines.length >= 5_200 ? lines : undefined;
      }, 10_000, 'every access line in the log file');
      expect(local).toHaveLength(5_200);
      expect(new Set(local!.map((l) => l.request_id))).toEqual(new Set([...before, ...during].map((r) => r.id)));

      // Back: shipping resumes without anyone touching the service.
      await rsyslog.start();
      rsyslogStopped = false;
      const after = await waitFor(async () => {
        const [r] = await load(url, 1, 1);
        await new Promise((resolve) => setTimeout(resolve, 200));
        const got = await rsyslog.received(0, 0);
        return got.some((m) => m.msg.includes(r!.id)) ? r : undefined;
      }, 40_000, 'a request logged after the restart to reach rsyslog');
      expect(after!.status).toBe(200);
    }, 120_000);
  }
});
