/**
 * Test helpers: real servers on 127.0.0.1 port 0, log lines read back from the log file the
 * package writes, and small HTTP utilities.
 */
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { join } from 'node:path';
import express from 'express';
import type { Express } from 'express';
import { instrument } from '../src/index.js';
import type { InstrumentOptions, Telemetry } from '../src/index.js';

/** A running instrumented app. */
export interface TestApp {
  app: Express;
  telemetry: Telemetry;
  base: string;
  server: Server;
  logFile: string;
  /** Every JSON line written so far (waits until `minLines` are there, up to 5 s). */
  logs(minLines?: number): Promise<Record<string, any>[]>;
  /** The access lines (msg "request completed") so far. */
  accessLines(minLines?: number): Promise<Record<string, any>[]>;
  close(): Promise<void>;
}

const cleanups: (() => Promise<void>)[] = [];

/** Closes everything the helpers started; call from `afterEach`. */
export async function closeAll(): Promise<void> {
  while (cleanups.length > 0) await cleanups.pop()!();
}

export function tempDir(prefix = 'periscope-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Parses JSON lines from a file (missing file → none). */
export function readJsonLines(file: string): Record<string, any>[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, any>);
}

/** Polls `fn` until it returns a truthy value or `timeoutMs` passes. */
export async function waitFor<T>(fn: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function listen(handler: RequestListener): Promise<{ server: Server; base: string; port: number }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { server, base: `http://127.0.0.1:${port}`, port };
}

/**
 * Builds an Express app, instruments it (logs to a temp file, not stdout), lets `routes` add
 * routes, and serves it.
 */
export async function startApp(
  routes: (app: Express, telemetry: Telemetry) => void,
  options: InstrumentOptions = {},
  expressFactory: () => Express = () => express(),
): Promise<TestApp> {
  const app = expressFactory();
  const logFile = join(tempDir(), 'service.log');
  const telemetry = instrument(app, { service: 'test-svc', version: '1.2.3', commit: 'abc1234', stdout: false, logFile, defaultMetrics: false, ...options });
  routes(app, telemetry);
  const { server, base } = await listen(app as unknown as RequestListener);
  cleanups.push(() => telemetry.shutdown());
  const logs = async (minLines = 0) => waitFor(() => {
    const lines = readJsonLines(logFile);
    return lines.length >= minLines ? lines : undefined;
  }, 5000, `${minLines} log lines in ${logFile}`);
  return {
    app,
    telemetry,
    base,
    server,
    logFile,
    logs,
    accessLines: async (minLines = 0) =>
      waitFor(() => {
        const lines = readJsonLines(logFile).filter((l) => l.msg === 'request completed');
        return lines.length >= minLines ? lines : undefined;
      }, 5000, `${minLines} access lines`),
    close: () => telemetry.shutdown(),
  };
}

/** The exposition text of an app (Prometheus text format unless `openMetrics`). */
export async function scrape(base: string, openMetrics = false): Promise<string> {
  const res = await fetch(`${base}/metrics`, { headers: openMetrics ? { accept: 'application/openmetrics-text; version=1.0.0' } : {} });
  return res.text();
}

/** The sample lines of `metric` (exact name, any labels) in an exposition text. */
export function samples(text: string, metric: string): string[] {
  return text.split('\n').filter((l) => l.startsWith(`${metric}{`) || l.startsWith(`${metric} `));
}

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/**
 * Heap still in use after full garbage collections: what a test that claims "memory stays
 * bounded" compares, since the raw heap size also holds garbage not yet collected.
 */
export function retainedHeap(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed;
}
