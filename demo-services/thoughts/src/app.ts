/**
 * The thoughts service: lists, reads, creates and searches thoughts. Every write checks the
 * caller's token with the users service; searches run in the bounded worker pool.
 *
 *   GET  /thoughts?limit=&offset=   → 200 {"thoughts","total"}
 *   GET  /thoughts/:id              → 200 thought | 404
 *   POST /thoughts {"text"}         Authorization: Bearer <token> → 201 thought | 400 | 401
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
  const telemetry = instrument(app, { service: 'thoughts' });
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

  app.post('/thoughts', jsonBody, async (req, res) => {
    const authorization = `Bearer ${bearerToken(req.get('authorization'))}`;
    const text = stringField(objectBody(req.body), 'text', 1, 280);
    const verified = await callBackend('users', usersUrl, '/verify', { headers: { authorization } });
    if (verified.status === 401) throw new HttpError(401, errorText(verified.body, 'token refused'));
    if (verified.status !== 200) throw new HttpError(502, `users answered ${verified.status} to /verify`);
    const { user } = verified.body as { user: { id: string; username: string } };
    const { added, evicted } = store.create(user, text);
    pool.add([added]);
    if (evicted.length > 0) pool.remove(evicted);
    res.status(201).json(added);
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
