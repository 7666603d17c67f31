/**
 * Periscope next to an app's own OpenTelemetry SDK: two services in separate processes (NodeSDK
 * registers globals per process), one request A → B, and the spans each exporter holds.
 */
import { join } from 'node:path';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { readJsonLines, tempDir, waitFor } from './helpers.js';
import { startService } from './processes.js';
import type { Child } from './processes.js';

const here = dirname(fileURLToPath(import.meta.url));
const script = join(here, 'fixtures', 'otel-service.mjs');
const SERVER = 1;
const CLIENT = 2;

interface SpanShape {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  scope: string;
  attributes: Record<string, unknown>;
}

let running: Child[] = [];
afterEach(async () => {
  await Promise.all(running.map((c) => c.stop()));
  running = [];
});

async function pair(env: Record<string, string>) {
  const dir = tempDir('periscope-otel-');
  const b = await startService(script, { ...env, OTEL_SERVICE_NAME: 'svc-b', LOG_FILE: join(dir, 'b.log') }, dir);
  running.push(b);
  const a = await startService(script, { ...env, OTEL_SERVICE_NAME: 'svc-a', HTTP_CALLS: b.base, LOG_FILE: join(dir, 'a.log') }, dir);
  running.push(a);
  return { a, b, dir };
}

const spans = async (c: Child, from: 'app' | 'periscope'): Promise<SpanShape[]> => (await fetch(`${c.base}/spans?from=${from}`)).json() as Promise<SpanShape[]>;
const ofKind = (list: SpanShape[], kind: number) => list.filter((s) => s.kind === kind);

/** Sends one request through A → B and returns the spans of both services from `from`. */
async function oneRequest(a: Child, b: Child, from: 'app' | 'periscope') {
  const res = await fetch(`${a.base}/work`, { headers: { 'x-request-id': 'otel-req-1' } });
  expect(res.status).toBe(200);
  const [sa, sb] = await Promise.all([
    waitFor(async () => {
      const s = await spans(a, from);
      return ofKind(s, SERVER).length > 0 && ofKind(s, CLIENT).length > 0 && s;
    }, 5000, `spans of A in the ${from} exporter`),
    waitFor(async () => {
      const s = await spans(b, from);
      return ofKind(s, SERVER).length > 0 && s;
    }, 5000, `spans of B in the ${from} exporter`),
  ]);
  return { sa, sb };
}

/** The trace shape every setup must produce: A's server → A's client → B's server, one trace. */
function expectOneTrace(sa: SpanShape[], sb: SpanShape[]) {
  const [aServer, ...moreA] = ofKind(sa, SERVER);
  const [aClient, ...moreClients] = ofKind(sa, CLIENT);
  const [bServer, ...moreB] = ofKind(sb, SERVER);
  expect(moreA).toEqual([]);
  expect(moreClients).toEqual([]);
  expect(moreB).toEqual([]);
  expect(ofKind(sb, CLIENT)).toEqual([]);
  expect(aServer!.name).toBe('GET /work');
  expect(bServer!.name).toBe('GET /work');
  expect(aServer!.parentSpanId).toBeUndefined();
  expect(aClient!.traceId).toBe(aServer!.traceId);
  expect(bServer!.traceId).toBe(aServer!.traceId);
  expect(bServer!.parentSpanId).toBe(aClient!.spanId);
  expect(aServer!.attributes['http.route']).toBe('/work');
  expect(aServer!.attributes['periscope.request_id']).toBe('otel-req-1');
  return { aServer: aServer!, aClient: aClient!, bServer: bServer! };
}

describe("Periscope with the app's OpenTelemetry SDK (separate processes)", () => {
  it("joins the app's NodeSDK: one trace A → B with exactly the expected spans, all in the app's exporter, none in Periscope's", async () => {
    const { a, b } = await pair({ SDK: 'sdk' });
    const { sa, sb } = await oneRequest(a, b, 'app');
    const { aServer, aClient } = expectOneTrace(sa, sb);
    expect(aClient.parentSpanId).toBe(aServer.spanId);
    expect(aServer.scope).toBe('@periscope/instrument');
    expect(await spans(a, 'periscope')).toEqual([]);
    expect(await spans(b, 'periscope')).toEqual([]);
  }, 60_000);

  it("joins an SDK the app starts after instrument() but before the first request, and says so in one log line", async () => {
    const { a, b, dir } = await pair({ SDK: 'sdk', LATE: '1' });
    const { sa, sb } = await oneRequest(a, b, 'app');
    expectOneTrace(sa, sb);
    expect(await spans(a, 'periscope')).toEqual([]);
    const lines = readJsonLines(join(dir, 'a.log')).filter((l) => String(l.msg).startsWith('periscope tracing:'));
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      ['info', "periscope tracing: mode global (option 'auto'): spans go to the app's OpenTelemetry tracer provider (its sampler, processors and exporters); registered nothing global"],
      ['warn', "periscope tracing: spansFile and spanExporters do not apply when spans go to the app's OpenTelemetry SDK; add exporters to the app's SDK instead"],
    ]);
  }, 60_000);

  it("runs its own pipeline when the app has no SDK: the same trace shape, in Periscope's exporter", async () => {
    const { a, b, dir } = await pair({ SDK: 'none' });
    const { sa, sb } = await oneRequest(a, b, 'periscope');
    const { aServer, aClient } = expectOneTrace(sa, sb);
    expect(aClient.parentSpanId).toBe(aServer.spanId);
    expect(await spans(a, 'app')).toEqual([]);
    const line = readJsonLines(join(dir, 'a.log')).find((l) => String(l.msg).startsWith('periscope tracing:'));
    expect(line?.msg).toBe("periscope tracing: mode own (option 'auto'): spans go to 1 exporter from spanExporters, through Periscope's own pipeline; registered globally: tracer provider, context manager, propagator");
  }, 60_000);

  it("keeps Periscope's own pipeline with tracing 'own' even though the app runs NodeSDK", async () => {
    const { a, b, dir } = await pair({ SDK: 'sdk', TRACING: 'own' });
    const { sa, sb } = await oneRequest(a, b, 'periscope');
    expectOneTrace(sa, sb);
    expect(await spans(a, 'app')).toEqual([]);
    // The app's NodeSDK registered the globals first: Periscope's pipeline registers none.
    const line = readJsonLines(join(dir, 'a.log')).find((l) => String(l.msg).startsWith('periscope tracing:'));
    expect(line?.msg).toBe("periscope tracing: mode own (option 'own'): spans go to 1 exporter from spanExporters, through Periscope's own pipeline; registered nothing global");
  }, 60_000);

  it('with OpenTelemetry HTTP and Express instrumentation on: one server span per service and one client span per call, request ID, log trace_id and exemplar still right', async () => {
    const { a, b, dir } = await pair({ SDK: 'sdk-http' });
    const { sa, sb } = await oneRequest(a, b, 'app');
    const { aServer } = expectOneTrace(sa, sb);
    // The server span is the HTTP instrumentation's, enriched by Periscope.
    expect(aServer.scope).toBe('@opentelemetry/instrumentation-http');
    expect(await spans(a, 'periscope')).toEqual([]);
    const line = await waitFor(() => readJsonLines(join(dir, 'a.log')).find((l) => l.msg === 'request completed' && l.request_id === 'otel-req-1'), 5000, 'access line');
    expect(line).toMatchObject({ trace_id: aServer.traceId, span_id: aServer.spanId });
    const om = await (await fetch(`${a.base}/metrics`, { headers: { accept: 'application/openmetrics-text; version=1.0.0' } })).text();
    const exemplar = om.split('\n').find((l) => l.startsWith('http_server_request_duration_seconds_bucket') && l.includes('http_route="/work"') && l.includes(' # {'));
    expect(exemplar).toContain(`trace_id="${aServer.traceId}"`);
  }, 60_000);
});
