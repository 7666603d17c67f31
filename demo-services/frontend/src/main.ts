// The frontend process: `node demo-services/frontend/src/main.ts` (FRONTEND_PORT, ADMIN_PORT, USERS_URL, THOUGHTS_URL).
import { serve } from '../../shared/src/service.ts';
import { BACKEND_URL_ENV, defaultServiceUrl, urlFromEnv } from '../../shared/src/topology.ts';
import { createFrontendApp } from './app.ts';

const { app, telemetry, faults } = createFrontendApp({
  usersUrl: urlFromEnv(BACKEND_URL_ENV.users, defaultServiceUrl('users')),
  thoughtsUrl: urlFromEnv(BACKEND_URL_ENV.thoughts, defaultServiceUrl('thoughts')),
});
await serve({ name: 'frontend', app, telemetry, faults });
