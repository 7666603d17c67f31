/**
 * The frontend: the public gateway of the Thoughts app. It serves the home page and a JSON API,
 * calling the users and thoughts services behind it and relaying their answers.
 *
 *   GET  /                 HTML: recent thoughts and the request ID of the page
 *   GET  /api/thoughts     GET /api/thoughts/:id     POST /api/thoughts (Bearer token)
 *   DELETE /api/thoughts/:id (Bearer token, the author only)
 *   GET  /api/search?q=    POST /api/login           GET /api/users/:id
 */
import express from 'express';
import type { Express, Response } from 'express';
import { instrument } from '@periscope/instrument';
import type { Telemetry } from '@periscope/instrument';
import { callBackend } from '../../shared/src/backend.ts';
import type { BackendResponse } from '../../shared/src/backend.ts';
import { createFaults } from '../../shared/src/faults.ts';
import type { Faults } from '../../shared/src/faults.ts';
import { HttpError, requestIdOf } from '../../shared/src/http-errors.ts';
import { afterRoutes, beforeRoutes, jsonBody } from '../../shared/src/service.ts';
import { bearerToken, intParam, objectBody, stringField } from '../../shared/src/validate.ts';
import { serviceVersion } from '../../shared/src/version.ts';
import { errorPage, homePage } from './page.ts';
import type { PageThought } from './page.ts';

/** Options of {@link createFrontendApp}. */
export interface FrontendAppOptions {
  usersUrl: string;
  thoughtsUrl: string;
}

/** Builds the frontend app; returns it with its telemetry handle and faults. */
export function createFrontendApp(options: FrontendAppOptions): { app: Express; telemetry: Telemetry; faults: Faults } {
  const users = (path: string, init?: Parameters<typeof callBackend>[3]) => callBackend('users', options.usersUrl, path, init);
  const thoughts = (path: string, init?: Parameters<typeof callBackend>[3]) => callBackend('thoughts', options.thoughtsUrl, path, init);
  const app = express();
  const telemetry = instrument(app, { service: 'frontend', version: serviceVersion('frontend') });
  const faults = createFaults();
  beforeRoutes(app, faults);

  app.get('/', async (_req, res) => {
    try {
      const recent = await thoughts('/thoughts?limit=20');
      if (recent.status !== 200) throw new HttpError(502, `thoughts answered ${recent.status}`);
      const { thoughts: list, total } = recent.body as { thoughts: PageThought[]; total: number };
      res.type('html').send(homePage(list, total, requestIdOf(res)));
    } catch (err) {
      const status = err instanceof HttpError ? err.status : 500;
      res.status(status).type('html').send(errorPage(status, (err as Error).message, requestIdOf(res)));
    }
  });

  app.get('/api/thoughts', async (req, res) => {
    const limit = intParam(req.query.limit, 'limit', 20, 1, 100);
    const offset = intParam(req.query.offset, 'offset', 0, 0, 100_000);
    relay(res, await thoughts(`/thoughts?limit=${limit}&offset=${offset}`));
  });

  app.get('/api/thoughts/:id', async (req, res) => {
    relay(res, await thoughts(`/thoughts/${encodeURIComponent(req.params.id)}`));
  });

  app.post('/api/thoughts', jsonBody, async (req, res) => {
    const authorization = `Bearer ${bearerToken(req.get('authorization'))}`;
    const text = stringField(objectBody(req.body), 'text', 1, 280);
    relay(res, await thoughts('/thoughts', { method: 'POST', headers: { authorization }, body: { text } }));
  });

  app.delete('/api/thoughts/:id', async (req, res) => {
    const authorization = `Bearer ${bearerToken(req.get('authorization'))}`;
    relay(res, await thoughts(`/thoughts/${encodeURIComponent(req.params.id)}`, { method: 'DELETE', headers: { authorization } }));
  });

  app.get('/api/search', async (req, res) => {
    const q = stringField({ q: req.query.q }, 'q', 1, 100);
    const limit = intParam(req.query.limit, 'limit', 10, 1, 50);
    relay(res, await thoughts(`/search?q=${encodeURIComponent(q)}&limit=${limit}`));
  });

  app.post('/api/login', jsonBody, async (req, res) => {
    const body = objectBody(req.body);
    const credentials = { username: stringField(body, 'username', 1, 64), password: stringField(body, 'password', 1, 128) };
    relay(res, await users('/login', { method: 'POST', body: credentials }));
  });

  app.get('/api/users/:id', async (req, res) => {
    relay(res, await users(`/users/${encodeURIComponent(req.params.id)}`));
  });

  afterRoutes(app);
  return { app, telemetry, faults };
}

/** Sends a backend's answer on as is: its status and JSON body (error bodies already carry the request ID). */
function relay(res: Response, upstream: BackendResponse): void {
  if (upstream.body === null) res.status(upstream.status).end();
  else res.status(upstream.status).json(upstream.body);
}
