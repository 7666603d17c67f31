import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, spansOf } from '@periscope/cli';
import type { SpanRecord } from '@periscope/cli';
import { readJsonLines, tempDir, waitFor } from './helpers.js';
import { startService } from './processes.js';
import type { Child } from './processes.js';
import { startScrapingPrometheus as startPrometheus } from '../../../tools/testing/prometheus.ts';
import type { LoopbackServer as Prometheus } from '../../../tools/testing/process.ts';

const here = dirname(fileURLToPath(import.meta.url));
const script = join(here, 'fixtures', 'chain-service.mjs');
const SERVER = 2;
const CLIENT = 3;

describe('a request across three services (separate processes)', () => {
  let dir: string;
  let services: Record<'a' | 'b' | 'c', Child>;
  let prometheus: Prometheus;
  const files = (name: string) => ({ PERISCOPE_LOG_FILE: join(dir, 'logs', `${name}.log`), PERISCOPE_SPANS_FILE: join(dir, 'spans', `${name}.jsonl`) });

  beforeAll(async () => {
    dir = tempDir('periscope-chain-');
    const c = await startService(script, { OTEL_SERVICE_NAME: 'svc-c', ...files('svc-c') }, dir);
    const b = await startService(script, { OTEL_SERVICE_NAME: 'svc-b', HTTP_CALLS: c.base, ...files('svc-b') }, dir);
    const a = await startService(script, { OTEL_SERVICE_NAME: 'svc-a', CALLS: `${b.base},${c.base}`, ...files('svc-a') }, dir);
    services = { a, b, c };
    prometheus = await startPrometheus([`127.0.0.1:${a.port}`]);
  }, 60_000);

  afterAll(async () => {
    await prometheus?.stop();
    for (const s of Object.values(services ?? {})) await s.stop();
  });

  it('yields one trace with server and client spans linked parent to child, the same IDs in every log, and an exemplar', async () => {
    const res = await fetch(`${services.a.base}/work`, { headers: { 'x-request-id': 'chain-req-1' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('chain-req-1');

    // The exemplar on A's latency histogram, as served in OpenMetrics and as stored by a real Prometheus.
    const om = await (await fetch(`${services.a.base}/metrics`, { headers: { accept: 'application/openmetrics-text; version=1.0.0' } })).text();
    const exemplarLine = om.split('\n').find((l) => l.startsWith('http_server_request_duration_seconds_bucket') && l.includes('http_route="/work"') && l.includes(' # {'));
    expect(exemplarLine).toBeDefined();
    const exemplarTrace = /trace_id="([0-9a-f]{32})"/.exec(exemplarLine!)![1];
    const stored = await waitFor(
      async () => {
        const now = Date.now() / 1000;
        const q = `${prometheus.url}/api/v1/query_exemplars?query=http_server_request_duration_seconds_bucket&start=${now - 300}&end=${now + 60}`;
        const body = (await (await fetch(q)).json()) as { data: { exemplars: { labels: Record<string, string> }[] }[] };
        const ids = body.data.flatMap((s) => s.exemplars.map((e) => e.labels.trace_id));
        return ids.length > 0 ? ids : undefined;
      },
      30_000,
      'an exemplar in Prometheus',
    );

    for (const s of Object.values(services)) await s.stop();
    const spans: SpanRecord[] = ['svc-a', 'svc-b', 'svc-c'].flatMap((n) => readJsonLines(join(dir, 'spans', `${n}.jsonl`)).flatMap((r) => spansOf(r)));
    const traceIds = new Set(spans.map((s) => s.traceId));
    expect(traceIds.size).toBe(1);
    const [traceId] = [...traceIds];
    expect(exemplarTrace).toBe(traceId);
    expect(stored).toContain(traceId);

    const of = (service: string, kind: number) => spans.filter((s) => s.service === service && s.kind === kind);
    const [aServer] = of('svc-a', SERVER);
    const [bServer] = of('svc-b', SERVER);
    const cServers = of('svc-c', SERVER);
    expect(aServer!.name).toBe('GET /work');
    expect(aServer!.parentSpanId).toBeUndefined();
    expect(aServer!.attributes).toMatchObject({ 'http.request.method': 'GET', 'http.route': '/work', 'http.response.status_code': 200, 'url.path': '/work', 'url.scheme': 'http' });
    const aClients = of('svc-a', CLIENT);
    const bClients = of('svc-b', CLIENT);
    expect(aClients).toHaveLength(2);
    expect(bClients).toHaveLength(1);
    expect(cServers).toHaveLength(2);
    for (const c of aClients) expect(c.parentSpanId).toBe(aServer!.spanId);
    expect(bClients[0]!.parentSpanId).toBe(bServer!.spanId);
    const aToB = aClients.find((c) => c.attributes['server.port'] === services.b.port)!;
    const aToC = aClients.find((c) => c.attributes['server.port'] === services.c.port)!;
    expect(bServer!.parentSpanId).toBe(aToB.spanId);
    expect(cServers.map((s) => s.parentSpanId).sort()).toEqual([aToC.spanId, bClients[0]!.spanId].sort());

    for (const name of ['svc-a', 'svc-b', 'svc-c']) {
      const lines = readJsonLines(join(dir, 'logs', `${name}.log`)).filter((l) => l.request_id === 'chain-req-1');
      expect(lines.length, `${name} log lines of the request`).toBeGreaterThanOrEqual(name === 'svc-c' ? 4 : 2);
      for (const l of lines) expect(l.trace_id).toBe(traceId);
      expect(lines.find((l) => l.msg === 'working')!.span_id).toMatch(/^[0-9a-f]{16}$/);
    }

    let printed = '';
    const code = await main(['trace', 'chain-req-1', dir], (s) => (printed += s));
    expect(code).toBe(0);
    expect(printed).toContain(`trace ${traceId}`);
    expect(printed).toMatch(/7 spans across 3 services/);
    for (const name of ['svc-a', 'svc-b', 'svc-c']) expect(printed).toContain(name);
    expect(printed).toContain('· ');
    let missing = '';
    expect(await main(['trace', 'no-such-request', dir], () => {}, (s) => (missing += s))).toBe(1);
    expect(missing).toBe('nothing found for request no-such-request in 6 files (3 span, 3 log)\n');
  }, 90_000);
});
