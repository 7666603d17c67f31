import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { isExpectedError } from '../src/exceptions/expected.js';
import { closeAll, samples, scrape, startApp } from './helpers.js';

afterEach(closeAll);

/** An app's own HTTP error, as the demo services throw them. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

describe('which errors are exceptions', () => {
  it('an error carrying a 4xx status is expected; a 5xx, no status or a non-object is not', () => {
    expect(isExpectedError(new HttpError(401, 'bad signature'))).toBe(true);
    expect(isExpectedError(Object.assign(new Error('nope'), { statusCode: 404 }))).toBe(true);
    expect(isExpectedError(new HttpError(503, 'down'))).toBe(false);
    expect(isExpectedError(new HttpError(302, 'moved'))).toBe(false);
    expect(isExpectedError(new TypeError('x is undefined'))).toBe(false);
    expect(isExpectedError('a string')).toBe(false);
  });

  it('counts only unexpected handler errors in periscope_exceptions_total, and logs the expected ones without a fingerprint', async () => {
    const t = await startApp((app) => {
      app.use(express.json());
      app.post('/login', () => {
        throw new HttpError(401, 'token refused: bad signature');
      });
      app.get('/users/:id', async () => {
        throw Object.assign(new Error('no user "u9"'), { statusCode: 404 });
      });
      app.get('/upstream', () => {
        throw new HttpError(503, 'users is down');
      });
      app.get('/bug', () => {
        throw new TypeError("Cannot read properties of undefined (reading 'id')");
      });
    });
    const statuses = [];
    statuses.push((await fetch(`${t.base}/login`, { method: 'POST' })).status);
    statuses.push((await fetch(`${t.base}/users/u9`)).status);
    statuses.push((await fetch(`${t.base}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{bad json' })).status);
    statuses.push((await fetch(`${t.base}/upstream`)).status);
    statuses.push((await fetch(`${t.base}/bug`)).status);
    expect(statuses).toEqual([401, 404, 400, 503, 500]);

    expect(samples(await scrape(t.base), 'periscope_exceptions_total').sort()).toEqual(['periscope_exceptions_total{type="HttpError"} 1', 'periscope_exceptions_total{type="TypeError"} 1']);
    const lines = await t.accessLines(5);
    const errOf = (path: string) => lines.find((l) => l.http.path === path)?.err;
    expect(errOf('/users/u9')).toEqual({ type: 'Error', message: 'no user "u9"' });
    expect(errOf('/users/u9')).not.toHaveProperty('fingerprint');
    expect(errOf('/bug')).toMatchObject({ type: 'TypeError', fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/), first_seen: true });
  });
});
