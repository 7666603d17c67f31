import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isValidRequestId, requestIdFrom } from '../src/http/request-id.js';
import { currentRequestId } from '../src/index.js';
import { closeAll, startApp } from './helpers.js';

afterEach(closeAll);

/** Sends a raw HTTP/1.1 request (bytes as given) and returns the raw response text. */
function rawRequest(port: number, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.setTimeout(3000, () => socket.destroy(new Error('raw request timed out')));
    socket.on('data', (d) => (data += d.toString('latin1')));
    socket.on('end', () => resolve(data));
    socket.on('close', () => resolve(data));
    socket.on('error', reject);
    socket.write(Buffer.from(head, 'latin1'));
  });
}

describe('request IDs', () => {
  it('accepts 1-128 characters of [A-Za-z0-9._:-] and nothing else', () => {
    expect(isValidRequestId('a')).toBe(true);
    expect(isValidRequestId('A.b_c:d-9')).toBe(true);
    expect(isValidRequestId('x'.repeat(128))).toBe(true);
    expect(isValidRequestId('x'.repeat(129))).toBe(false);
    expect(isValidRequestId('')).toBe(false);
    expect(isValidRequestId('a b')).toBe(false);
    expect(isValidRequestId('é')).toBe(false);
    expect(isValidRequestId('a\u0001')).toBe(false);
    expect(isValidRequestId(['a', 'b'])).toBe(false);
    expect(requestIdFrom(undefined)).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("returns the caller's X-Request-ID when it is valid, and makes it available to handlers", async () => {
    const t = await startApp((app) => app.get('/id', (_req, res) => res.json({ fromContext: currentRequestId(), fromLocals: res.locals.requestId })));
    const res = await fetch(`${t.base}/id`, { headers: { 'x-request-id': 'caller-id.42' } });
    expect(res.headers.get('x-request-id')).toBe('caller-id.42');
    expect(await res.json()).toEqual({ fromContext: 'caller-id.42', fromLocals: 'caller-id.42' });
    const [line] = await t.accessLines(1);
    expect(line!.request_id).toBe('caller-id.42');
  });

  it('generates a new ID when none is sent, and a new one per request', async () => {
    const t = await startApp((app) => app.get('/', (_req, res) => res.send('ok')));
    const a = (await fetch(`${t.base}/`)).headers.get('x-request-id');
    const b = (await fetch(`${t.base}/`)).headers.get('x-request-id');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(b).not.toBe(a);
  });

  it.each([
    ['too long', 'x'.repeat(129)],
    ['with a space', 'has space'],
    ['with a slash and quote', 'a/b"c'],
  ])('replaces an X-Request-ID that is %s and never echoes it', async (_name, sent) => {
    const t = await startApp((app) => app.get('/', (_req, res) => res.send('ok')));
    const res = await fetch(`${t.base}/`, { headers: { 'x-request-id': sent } });
    const got = res.headers.get('x-request-id');
    expect(got).not.toBe(sent);
    expect(got).toMatch(/^[0-9a-f-]{36}$/);
    const [line] = await t.accessLines(1);
    expect(JSON.stringify(line)).not.toContain(sent);
  });

  it('replaces an empty, a repeated, a non-ASCII and a control-character X-Request-ID', async () => {
    const t = await startApp((app) => app.get('/', (_req, res) => res.send('ok')));
    const port = Number(new URL(t.base).port);
    const cases = [
      'X-Request-ID: \r\n',
      'X-Request-ID: first\r\nX-Request-ID: second\r\n',
      'X-Request-ID: caf\xe9-\xff\r\n',
      'X-Request-ID: ab\x01cd\r\n',
    ];
    const statuses: number[] = [];
    for (const header of cases) {
      const response = await rawRequest(port, `GET / HTTP/1.1\r\nHost: x\r\n${header}Connection: close\r\n\r\n`);
      const status = Number(response.split(' ')[1]);
      statuses.push(status);
      const echoed = /x-request-id: ([^\r\n]*)/i.exec(response)?.[1];
      if (status === 200) expect(echoed).toMatch(/^[0-9a-f-]{36}$/);
      for (const bad of ['first, second', 'caf\xe9', 'ab\x01cd']) expect(response).not.toContain(bad);
    }
    // Node's parser rejects a control character itself (400, the app never sees it); the rest reach the app.
    expect(statuses).toEqual([200, 200, 200, 400]);
    const lines = await t.accessLines(3);
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line.request_id).toMatch(/^[0-9a-f-]{36}$/);
  });
});
