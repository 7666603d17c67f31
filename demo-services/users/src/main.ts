// The users service process: `node demo-services/users/src/main.ts` (USERS_PORT, ADMIN_PORT, DEMO_TOKEN_SECRET).
import { serve } from '../../shared/src/service.ts';
import { createUsersApp } from './app.ts';
import { createUserStore } from './store.ts';
import { DEV_TOKEN_SECRET, TOKEN_SECRET_ENV } from './token.ts';

const secret = process.env[TOKEN_SECRET_ENV] || DEV_TOKEN_SECRET;
const { app, telemetry, faults } = createUsersApp({ store: await createUserStore(), secret });
if (secret === DEV_TOKEN_SECRET) telemetry.logger.warn(`${TOKEN_SECRET_ENV} is unset: signing tokens with the development secret`);
await serve({ name: 'users', app, telemetry, faults });
