// The shared code's public door (src/index.ts), pinned so that a change to it is deliberate.
import { describe, expect, it } from 'vitest';
import * as shared from '@periscope-demo/shared';

describe('@periscope-demo/shared', () => {
  it('exports exactly the topology, the demo accounts, the launcher variable, the fault path and the duration parser', () => {
    expect(Object.keys(shared).sort()).toEqual([
      'ADMIN_PORT_ENV', 'BACKEND_URL_ENV', 'DEMO_ACCOUNTS', 'FAULTS_PATH', 'HOST_ENV', 'LOOPBACK', 'PARENT_PID_ENV', 'SERVICES', 'SERVICE_NAMES',
      'SERVICE_PORTS', 'defaultServiceUrl', 'parseBaseUrl', 'parseDurationMs', 'portFromEnv', 'publicHost', 'urlFromEnv',
    ]);
  });
});
