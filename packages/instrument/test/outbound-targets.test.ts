/**
 * Which outbound calls carry the request's context (`tracePropagationTargets`): the default keeps
 * it on internal hosts, a call to any other host keeps its client span and metric but gets none
 * of the headers; the option is validated once, at `instrument()`.
 */
import { request } from 'node:http';
import type { LookupFunction } from 'node:net';
import express from 'express';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';
import { INVALID_OPTION, instrument } from '../src/index.js';
import type { InstrumentOptions } from '../src/index.js';
import { resolveOptions } from '../src/options.js';
import { MAX_DECIDED_HOSTS, PropagationTargets, isInternalHost, resolvePropagationTargets } from '../src/http/outbound-targets.js';
import { closeAll, listen, samples, scrape, startApp } from './helpers.js';

const agents: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await closeAll();
  await Promise.all(agents.splice(0).map((a) => a.close()));
});

const CONTEXT_HEADERS = ['traceparent', 'tracestate', 'baggage', 'x-request-id'] as const;
const CALLER = {
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  tracestate: 'congo=t61rcWkgMzE',
  baggage: 'tenant=acme',
  'x-request-id': 'req-42',
};

/** Resolves every name to 127.0.0.1 (the loopback test server stands in for any host). */
const toLoopback: LookupFunction = (_host, options, callback) => {
  if (options.all) (callback as (err: null, addresses: { address: string; family: number }[]) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
};

/**
 * A dispatcher for global `fetch` that resolves every name to 127.0.0.1: an Agent of the undici
 * that Node's fetch runs on (its global dispatcher's class, there once fetch has been used).
 */
function loopbackDispatcher(): object {
  const global = (globalThis as Record<symbol, { constructor: new (o: object) => { close(): Promise<void> } } | undefined>)[Symbol.for('undici.globalDispatcher.1')];
  if (global === undefined) throw new Error("no global fetch dispatcher yet: fetch something first");
  const agent = new global.constructor({ connect: { lookup: toLoopback } });
  agents.push(agent);
  return agent;
}

/** GET `http://<host>:<port>/down` over node:http, the host resolved to 127.0.0.1. */
function getVia(host: string, port: number, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path: '/down', lookup: toLoopback, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject).end();
  });
}

/**
 * An app whose GET /call?host=<name> calls the loopback downstream under that host name, with
 * node:http (`?via=http`) or global fetch (`?via=fetch`), the name resolved to 127.0.0.1 either
 * way; the downstream records what it received.
 */
async function appCalling(options: InstrumentOptions = {}) {
  const received: Record<string, string | string[] | undefined>[] = [];
  const downstream = await listen((req, res) => {
    received.push(req.headers);
    res.end('{}');
  });
  const exporter = new InMemorySpanExporter();
  let dispatcher: object | undefined;
  const t = await startApp(
    (app) =>
      app.get('/call', async (req, res) => {
        const host = String(req.query.host);
        dispatcher ??= loopbackDispatcher();
        if (req.query.via === 'fetch') await (await fetch(`http://${host}:${downstream.port}/down`, { dispatcher } as RequestInit)).text();
        else await getVia(host, downstream.port, req.query.traceparent ? { traceparent: String(req.query.traceparent) } : {});
        res.json({ ok: true });
      }),
    { spanExporters: [exporter], ...options },
  );
  const call = async (host: string, via = 'http', extra = '') => {
    const res = await fetch(`${t.base}/call?host=${encodeURIComponent(host)}&via=${via}${extra}`, { headers: CALLER });
    expect(res.status).toBe(200);
    return received[received.length - 1]!;
  };
  const clientSpans = async () => {
    await t.telemetry.flush();
    return exporter.getFinishedSpans().filter((s) => s.kind === 2 && s.attributes['url.full'] !== undefined && String(s.attributes['url.full']).endsWith('/down'));
  };
  return { t, call, clientSpans, port: downstream.port };
}

const contextOf = (headers: Record<string, unknown>) => Object.fromEntries(CONTEXT_HEADERS.map((h) => [h, headers[h]]));

describe('the default targets: internal hosts only', () => {
  it.each([
    'localhost', '127.0.0.1', '127.8.9.10', '::1', '0.0.0.0', '10.0.0.7', '172.16.0.1', '172.31.255.255', '192.168.1.20', 'fd12:3456::1', 'fc00::1', 'fe80::1',
    'fe80::1%eth0', '::ffff:10.1.2.3', '::ffff:7f00:1', 'users', 'thoughts', 'users.svc', 'users.default.svc', 'users.default.svc.cluster.local', 'printer.local', 'db.corp.internal',
    'app.localhost', 'users.default.svc.cluster.local.',
  ])('counts %s as internal', (host) => {
    expect(isInternalHost(host)).toBe(true);
  });

  it.each([
    'api.example.com', 'api.stripe.com', 'example.com', '8.8.8.8', '172.15.0.1', '172.32.0.1', '192.169.0.1', '11.0.0.1', '2001:db8::1', '2606:4700::1111', '::ffff:8.8.8.8',
    'users.default', 'local.example.com', 'svc.example.com', 'internal.example.org', '',
  ])('counts %s as public', (host) => {
    expect(isInternalHost(host)).toBe(false);
  });
});

describe('what an outbound call carries (real HTTP)', () => {
  it.each([
    ['a loopback address', '127.0.0.1', 'fetch'],
    ['localhost', 'localhost', 'http'],
    ['a single-label name', 'users', 'fetch'],
    ['a single-label name', 'users', 'http'],
    ['a cluster-local name', 'users.default.svc.cluster.local', 'http'],
  ])('sends the request context to %s', async (_name, host, via) => {
    const { call } = await appCalling();
    const got = await call(host, via);
    expect(String(got.traceparent)).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
    expect(got).toMatchObject({ tracestate: 'congo=t61rcWkgMzE', baggage: 'tenant=acme', 'x-request-id': 'req-42' });
  });

  it.each(['http', 'fetch'])('sends a public host none of it, and still records its client span and client metric (%s)', async (via) => {
    const { t, call, clientSpans, port } = await appCalling();
    const got = await call('api.example.com', via);
    expect(contextOf(got)).toEqual({ traceparent: undefined, tracestate: undefined, baggage: undefined, 'x-request-id': undefined });
    expect(got.host).toBe(`api.example.com:${port}`);
    const [span] = await clientSpans();
    expect(span?.attributes).toMatchObject({ 'http.request.method': 'GET', 'server.address': 'api.example.com', 'server.port': port, 'http.response.status_code': 200 });
    expect(span?.parentSpanContext?.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    const metric = samples(await scrape(t.base), 'http_client_request_duration_seconds_count').find((l) => l.includes(`server_address="api.example.com:${port}"`));
    expect(metric).toBe(`http_client_request_duration_seconds_count{http_request_method="GET",server_address="api.example.com:${port}",http_response_status_code="200"} 1`);
  });

  it('withholds the request ID from a public host also when the app sets its own traceparent', async () => {
    const { call } = await appCalling();
    const got = await call('api.example.com', 'http', `&traceparent=${CALLER.traceparent}`);
    expect(got.traceparent).toBe(CALLER.traceparent);
    expect(got['x-request-id']).toBeUndefined();
    expect((await call('users', 'http', `&traceparent=${CALLER.traceparent}`))['x-request-id']).toBe('req-42');
  });

  it('sends to exactly the hosts a list names, which replaces the default', async () => {
    const { call } = await appCalling({ tracePropagationTargets: ['api.example.com', '*.partner.test', /^billing\d+\.corp\.example$/g] });
    for (const host of ['api.example.com', 'API.Example.com', 'eu.partner.test', 'a.b.partner.test', 'billing2.corp.example', 'billing3.corp.example']) {
      expect((await call(host))['x-request-id'], host).toBe('req-42');
    }
    for (const host of ['partner.test', 'www.example.com', 'billing.corp.example', 'users', '127.0.0.1']) {
      expect(contextOf(await call(host, host === '127.0.0.1' ? 'fetch' : 'http')), host).toEqual({ traceparent: undefined, tracestate: undefined, baggage: undefined, 'x-request-id': undefined });
    }
  });

  it('asks a function once per host, and sends when it returns true', async () => {
    const asked: string[] = [];
    const { call } = await appCalling({ tracePropagationTargets: (host) => (asked.push(host), host.endsWith('.example.com')) });
    for (let i = 0; i < 3; i++) {
      expect((await call('api.example.com'))['x-request-id']).toBe('req-42');
      expect((await call('users'))['x-request-id']).toBeUndefined();
    }
    // 127.0.0.1: the test's own calls to the app, which the app traces too (made outside a request).
    expect(asked.sort()).toEqual(['127.0.0.1', 'api.example.com', 'users']);
  });
});

describe('the decision cache', () => {
  it(`keeps at most ${MAX_DECIDED_HOSTS} hosts, forgetting the oldest first`, () => {
    const asked: string[] = [];
    const targets = new PropagationTargets((h) => (asked.push(h), true), () => {});
    for (let i = 0; i <= MAX_DECIDED_HOSTS; i++) targets.allows(`h${i}:80`);
    expect(asked.length).toBe(MAX_DECIDED_HOSTS + 1);
    targets.allows(`h${MAX_DECIDED_HOSTS}:80`);
    targets.allows('h1:80');
    expect(asked.length).toBe(MAX_DECIDED_HOSTS + 1);
    targets.allows('h0:80');
    expect(asked.slice(-1)).toEqual(['h0']);
  });

  it('withholds the context from a host whose function throws, and reports it', () => {
    const reported: string[] = [];
    const targets = new PropagationTargets(() => {
      throw new Error('boom');
    }, (kind) => reported.push(kind));
    expect(targets.allows('api.example.com')).toBe(false);
    expect(targets.allows('api.example.com')).toBe(false);
    expect(reported).toEqual(['tracePropagationTargets']);
  });

  it('matches the host name without port or IPv6 brackets, in lower case', () => {
    const seen: string[] = [];
    const targets = new PropagationTargets((h) => (seen.push(h), true), () => {});
    for (const a of ['API.example.com:8443', '[::1]:3000', '[fe80::1]', '10.0.0.7', 'users:80']) targets.allows(a);
    expect(seen).toEqual(['api.example.com', '::1', 'fe80::1', '10.0.0.7', 'users']);
    const match = resolvePropagationTargets(['::1', '[fe80::1]', '10.0.0.7']);
    expect(['::1', 'fe80::1', '10.0.0.7', '10.0.0.8'].map(match)).toEqual([true, true, true, false]);
  });
});

describe('the option, validated at instrument()', () => {
  it.each<[unknown, ErrorConstructor, string]>([
    [
      'api.example.com',
      TypeError,
      'Invalid option "tracePropagationTargets": got "api.example.com" (string) - expected an array of host names ("api.example.com", "*.example.com") and RegExps, or a function (host) => boolean',
    ],
    [
      true,
      TypeError,
      'Invalid option "tracePropagationTargets": got true (boolean) - expected an array of host names ("api.example.com", "*.example.com") and RegExps, or a function (host) => boolean',
    ],
    [['api.example.com', 42], TypeError, 'Invalid option "tracePropagationTargets[1]": got 42 (number) - expected a host name string or a RegExp'],
    [[{ host: 'x' }], TypeError, 'Invalid option "tracePropagationTargets[0]": got an object (object) - expected a host name string or a RegExp'],
    ...['https://api.example.com', 'api.example.com:443', 'api.example.com/v1', '', 'a b', '*example.com', 'api.*.com'].map((bad): [unknown, ErrorConstructor, string] => [
      [bad],
      Error,
      `Invalid option "tracePropagationTargets[0]": got ${JSON.stringify(bad)} - expected a host name or address ("api.example.com", "10.0.0.7") or "*." and a domain, without scheme, port or path`,
    ]),
  ])('rejects %j with the option, the value and what was expected', (value, type, message) => {
    const caught = (() => {
      try {
        instrument(express(), { service: 's', stdout: false, tracePropagationTargets: value as never });
      } catch (err) {
        return err as Error & { code?: string };
      }
      return undefined;
    })();
    expect(caught).toBeInstanceOf(type);
    if (type === Error) expect(caught).not.toBeInstanceOf(TypeError);
    expect(caught?.message).toBe(message);
    expect(caught?.code).toBe(INVALID_OPTION);
  });

  it('accepts host names, addresses, "*." domains, RegExps and a function', () => {
    expect(() => resolveOptions({ service: 's', tracePropagationTargets: ['api.example.com', '*.example.org', '10.0.0.7', '::1', '[fe80::1]', 'users', 'db.internal.', /x/] }, {})).not.toThrow();
    expect(() => resolveOptions({ service: 's', tracePropagationTargets: () => false }, {})).not.toThrow();
    expect(() => resolveOptions({ service: 's', tracePropagationTargets: [] }, {})).not.toThrow();
    expect(resolveOptions({ service: 's' }, {}).tracePropagationTargets('api.example.com')).toBe(false);
  });
});
