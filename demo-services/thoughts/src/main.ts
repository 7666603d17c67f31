// The thoughts service process: `node demo-services/thoughts/src/main.ts` (THOUGHTS_PORT, ADMIN_PORT, USERS_URL).
import { serve } from '../../shared/src/service.ts';
import { BACKEND_URL_ENV, defaultServiceUrl, urlFromEnv } from '../../shared/src/topology.ts';
import { createThoughtsApp } from './app.ts';
import { createThoughtStore } from './store.ts';

const usersUrl = urlFromEnv(BACKEND_URL_ENV.users, defaultServiceUrl('users'));
const { app, telemetry, faults, pool } = createThoughtsApp({ store: createThoughtStore(), usersUrl });
await serve({ name: 'thoughts', app, telemetry, faults, hasPool: true, onShutdown: () => pool.close() });
