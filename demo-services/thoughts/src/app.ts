/**
 * The thoughts service: lists, reads, creates and searches thoughts. Every write checks the
 * caller's token with the users service; searches run in the bounded worker pool.
 *
 *   GET  /thoughts?limit=&offset=   → 200 {"thoughts","total"}
 *   GET  /thoughts/:id              → 200 thought | 404
 *   POST /thoughts {"text"}         Authorization: Bearer <token> → 201 thought | 400 | 401
 *   DELETE /thoughts/:id            Authorization: Bearer <token> → 204 | 401 | 403 (not the author) | 404

 * Creating and deleting a thought write an audit event whose actor comes from the verified token.
 *   GET  /search?q=&limit=          → 200 {"query","hits"} | 400 | 503 when the pool's queue is full
 */
import express from 'express';
import type { Express } from 'express';
import { instrument } from '@periscope/instrument';
import type { Telemetry } from '@periscope/instrument';
import { callBackend, errorText } from '../../shared/src/backend.ts';
import { createFaults } from '../../shared/src/faults.ts';
import type { Faults } from '../../shared/src/faults.ts';
import { HttpError } from '../../shared/src/http-errors.ts';
import { afterRoutes, beforeRoutes, jsonBody } from '../../shared/src/service.ts';
import { bearerToken, intParam, objectBody, stringField } from '../../shared/src/validate.ts';
import { serviceVersion } from '../../shared/src/version.ts';
import { createSearchPool, PoolBusyError, SEARCH_POOL } from './search-pool.ts';
import type { SearchPool } from './search-pool.ts';
import type { ThoughtStore } from './store.ts';

/** Workers in the search pool (the `search-pool` resource's capacity). */
export const SEARCH_POOL_SIZE = 4;

/** Options of {@link createThoughtsApp}. */
export interface ThoughtsAppOptions {
  store: ThoughtStore;
  /** Base URL of the users service. */
  usersUrl: string;
}

/** Builds the thoughts app with its search pool; returns them with the telemetry handle and faults. */
export function createThoughtsApp(options: ThoughtsAppOptions): { app: Express; telemetry: Telemetry; faults: Faults; pool: SearchPool } {
  const { store, usersUrl } = options;
  const app = express();
  const telemetry = instrument(app, { service: 'thoughts', version: serviceVersion('thoughts') });
  const faults = createFaults();
  const pool = createSearchPool({
    size: SEARCH_POOL_SIZE,
    tracker: telemetry.resource(SEARCH_POOL, { capacity: SEARCH_POOL_SIZE }),
    snapshot: () => store.all(),
    delayMs: () => faults.get().slowPoolMs,
  });
  beforeRoutes(app, faults);

  app.get('/thoughts', (req, res) => {
    const limit = intParam(req.query.limit, 'limit', 20, 1, 100);
    const offset = intParam(req.query.offset, 'offset', 0, 0, 100_000);
    res.json({ thoughts: store.list(limit, offset), total: store.size });
  });

  app.get('/thoughts/:id', (req, res) => {
    const thought = store.get(req.params.id);
    if (!thought) throw new HttpError(404, `no thought ${JSON.stringify(req.params.id)}`);
    res.json(thought);
  });

  /** The user the request's token belongs to, as the users service verifies it. */
  const verifiedUser = async (req: express.Request): Promise<{ id: string; username: string }> => {
    const authorization = `Bearer ${bearerToken(req.get('authorization'))}`;
    const verified = await callBackend('users', usersUrl, '/verify', { headers: { authorization } });
    if (verified.status === 401) throw new HttpError(401, errorText(verified.body, 'token refused'));
    if (verified.status !== 200) throw new HttpError(502, `users answered ${verified.status} to /verify`);
    return (verified.body as { user: { id: string; username: string } }).user;
  };

  app.post('/thoughts', jsonBody, async (req, res) => {
    const text = stringField(objectBody(req.body), 'text', 1, 280);
    const user = await verifiedUser(req);
    const { added, evicted } = store.create(user, text);
    telemetry.audit({ action: 'thought.create', actor: `user:${user.id}`, target: `thought:${added.id}`, outcome: 'success' });
    pool.add([added]);
    if (evicted.length > 0) pool.remove(evicted);
    res.status(201).json(added);
  });

  app.delete('/thoughts/:id', async (req, res) => {
    const user = await verifiedUser(req);
    const thought = store.get(req.params.id);
    if (!thought) throw new HttpError(404, `no thought ${JSON.stringify(req.params.id)}`);
    const target = `thought:${thought.id}`;
    if (thought.authorId !== user.id) {
      telemetry.audit({ action: 'thought.delete', actor: `user:${user.id}`, target, outcome: 'failure', reason: 'not the author' });
      throw new HttpError(403, 'only the author can delete a thought');
    }
    store.remove(thought.id);
    pool.remove([thought.id]);
    telemetry.audit({ action: 'thought.delete', actor: `user:${user.id}`, target, outcome: 'success' });
    res.status(204).end();
  });

  app.get('/search', async (req, res) => {
    const query = stringField({ q: req.query.q }, 'q', 1, 100);
    const limit = intParam(req.query.limit, 'limit', 10, 1, 50);
    try {
      res.json({ query, hits: await pool.search(query, limit) });
    } catch (err) {
      if (err instanceof PoolBusyError) throw new HttpError(503, err.message, { 'retry-after': '1' });
      throw err;
    }
  });

  afterRoutes(app);
  return { app, telemetry, faults, pool };
}
