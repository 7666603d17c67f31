/**
 * Test helpers: temporary directories, and span and log lines shaped as the services write them
 * (OTLP JSON lines; pino JSON lines with the contract's keys).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dirs: string[] = [];

/** A fresh directory, removed by `removeTempDirs`. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'periscope-cli-'));
  dirs.push(dir);
  return dir;
}

/** Removes the directories `tempDir` made; call from `afterEach`. */
export function removeTempDirs(): void {
  while (dirs.length > 0) rmSync(dirs.pop()!, { recursive: true, force: true });
}

/** The committed bin wrapper, as npm links it. */
export const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'periscope.cjs');

/** A span to write; times in nanoseconds from `BASE_NS`. */
export interface SpanSpec {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: number;
  start: number;
  end: number;
  attributes?: Record<string, string | number>;
}

/** 2026-01-01T00:00:00Z in nanoseconds. */
export const BASE_NS = 1_767_225_600_000_000_000n;

/** One line of a span file: an OTLP request holding `spans` of `service`. */
export function otlpLine(service: string, spans: readonly SpanSpec[]): string {
  const value = (v: string | number) => (typeof v === 'number' ? { intValue: String(v) } : { stringValue: v });
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeSpans: [
          {
            spans: spans.map((s) => ({
              traceId: s.traceId,
              spanId: s.spanId,
              ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
              name: s.name,
              kind: s.kind ?? 1,
              startTimeUnixNano: String(BASE_NS + BigInt(s.start)),
              endTimeUnixNano: String(BASE_NS + BigInt(s.end)),
              status: { code: 0 },
              attributes: Object.entries(s.attributes ?? {}).map(([key, v]) => ({ key, value: value(v) })),
            })),
          },
        ],
      },
    ],
  });
}

/** One log line as a service writes it. */
export function logLineOf(fields: { service: string; ms: number; msg: string; request_id?: string; trace_id?: string; span_id?: string; level?: string }): string {
  const { ms, level = 'info', ...rest } = fields;
  return JSON.stringify({ time: new Date(Date.UTC(2026, 0, 1) + ms).toISOString(), level, ...rest });
}

/** Writes `lines` (one per line) to `file`, creating its directory. */
export function writeLines(file: string, lines: readonly string[]): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, lines.map((l) => `${l}\n`).join(''));
}

/** IDs of the demo request that `writeDemoRequest` writes. */
export interface DemoIds {
  requestId: string;
  traceId: string;
}

/**
 * Writes one request through the demo's three services, as `npm run demo` would: spans to
 * `<spansDir>/<service>.jsonl`, log lines to `<logsDir>/<service>.log`. frontend's server span
 * calls users and thoughts (client spans with their targets).
 */
export function writeDemoRequest(spansDir: string, logsDir: string, ids: DemoIds): void {
  const t = ids.traceId;
  const rid = { 'periscope.request_id': ids.requestId };
  writeLines(join(spansDir, 'frontend.jsonl'), [
    otlpLine('frontend', [
      { traceId: t, spanId: 'f000000000000001', name: 'GET /api/search', kind: 2, start: 0, end: 9_000_000, attributes: { ...rid, 'http.response.status_code': 200 } },
      { traceId: t, spanId: 'f000000000000002', parentSpanId: 'f000000000000001', name: 'GET', kind: 3, start: 1_000_000, end: 4_000_000, attributes: { 'server.address': 'users', 'server.port': 4001, 'http.response.status_code': 200 } },
      { traceId: t, spanId: 'f000000000000003', parentSpanId: 'f000000000000001', name: 'GET', kind: 3, start: 4_500_000, end: 8_500_000, attributes: { 'url.full': 'http://thoughts:4002/thoughts?q=loom', 'http.response.status_code': 200 } },
    ]),
  ]);
  writeLines(join(spansDir, 'users.jsonl'), [otlpLine('users', [{ traceId: t, spanId: 'a000000000000001', parentSpanId: 'f000000000000002', name: 'GET /users/:id', kind: 2, start: 1_500_000, end: 3_500_000, attributes: { ...rid, 'http.response.status_code': 200 } }])]);
  writeLines(join(spansDir, 'thoughts.jsonl'), [otlpLine('thoughts', [{ traceId: t, spanId: 'b000000000000001', parentSpanId: 'f000000000000003', name: 'GET /thoughts', kind: 2, start: 5_000_000, end: 8_000_000, attributes: { ...rid, 'http.response.status_code': 200 } }])]);
  const common = { request_id: ids.requestId, trace_id: t };
  writeLines(join(logsDir, 'frontend.log'), [logLineOf({ service: 'frontend', ms: 9, msg: 'request completed', ...common, span_id: 'f000000000000001' })]);
  writeLines(join(logsDir, 'users.log'), [logLineOf({ service: 'users', ms: 2, msg: 'user found', ...common, span_id: 'a000000000000001' })]);
  writeLines(join(logsDir, 'thoughts.log'), [logLineOf({ service: 'thoughts', ms: 6, msg: 'search done', ...common, span_id: 'b000000000000001' })]);
}
