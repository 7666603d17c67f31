/**
 * The users service: issues signed tokens for known users and checks them for the other services.
 *
 *   POST /login        {"username","password"} → 200 {"token","user"} | 401
 *   GET  /users/:id    → 200 user | 404
 *   GET  /verify       Authorization: Bearer <token> → 200 {"user"} | 401
 */
import express from 'express';
import type { Express } from 'express';
import { instrument } from '@periscope/instrument';
import type { Telemetry } from '@periscope/instrument';
import { createFaults } from '../../shared/src/faults.ts';
import type { Faults } from '../../shared/src/faults.ts';
import { HttpError } from '../../shared/src/http-errors.ts';
import { afterRoutes, beforeRoutes, jsonBody } from '../../shared/src/service.ts';
import { bearerToken, objectBody, stringField } from '../../shared/src/validate.ts';
import { serviceVersion } from '../../shared/src/version.ts';
import type { UserStore } from './store.ts';
import { signToken, verifyToken } from './token.ts';

/** Options of {@link createUsersApp}. */
export interface UsersAppOptions {
  store: UserStore;
  secret: string;
  tokenTtlSeconds?: number;
}

/** Builds the users app; returns it with its telemetry handle and faults. */
export function createUsersApp(options: UsersAppOptions): { app: Express; telemetry: Telemetry; faults: Faults } {
  const { store, secret } = options;
  const app = express();
  const telemetry = instrument(app, { service: 'users', version: serviceVersion('users') });
  const faults = createFaults();
  beforeRoutes(app, faults);

  app.post('/login', jsonBody, async (req, res) => {
    const body = objectBody(req.body);
    const username = stringField(body, 'username', 1, 64);
    const password = stringField(body, 'password', 1, 128);
    const user = await store.authenticate(username, password);
    if (!user) {
      // The actor of a failed login is only the name that was tried: nothing is verified.
      telemetry.audit({ action: 'user.login', actor: `attempt:${username}`, outcome: 'failure' });
      throw new HttpError(401, 'invalid username or password');
    }
    telemetry.audit({ action: 'user.login', actor: `user:${user.id}`, outcome: 'success' });
    res.json({ token: signToken(secret, user, options.tokenTtlSeconds), user });
  });

  app.get('/users/:id', (req, res) => {
    const user = store.byId(req.params.id);
    if (!user) throw new HttpError(404, `no user ${JSON.stringify(req.params.id)}`);
    res.json(user);
  });

  app.get('/verify', (req, res) => {
    const result = verifyToken(secret, bearerToken(req.get('authorization')));
    if ('problem' in result) throw new HttpError(401, `token refused: ${result.problem}`);
    const user = store.byId(result.claims.sub);
    if (!user) throw new HttpError(401, 'token refused: unknown user');
    res.json({ user });
  });

  afterRoutes(app);
  return { app, telemetry, faults };
}
