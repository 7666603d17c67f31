// The launcher's public door (src/index.ts), pinned so that a change to it is deliberate: tests
// and tools outside demo-services/ import only these names.
import { describe, expect, it } from 'vitest';
import * as launcher from '@periscope-demo/launcher';

describe('@periscope-demo/launcher', () => {
  it('exports exactly the stack, its Prometheus helpers, the receiver\'s notification line, target files, components, paths and argument parsers', () => {
    expect(Object.keys(launcher).sort()).toEqual([
      'ALERTMANAGER_SOURCE', 'BUILT_IN_PROMETHEUS_CONFIG', 'COMPONENTS', 'COMPONENT_NAMES', 'DEFAULT_STATE_DIR', 'DEMO_USAGE', 'FAULT_USAGE',
      'PROMETHEUS_SOURCE', 'REPO_ROOT', 'activeTargets', 'clearFaults', 'derivePrometheusConfig', 'entryPoint', 'formatNotification', 'getFaults', 'instantQuery',
      'parseDemoArgs', 'parseFaultArgs', 'processLabel', 'removeTargetFile', 'setFaults', 'startStack', 'targetFile', 'targetGroup', 'writeTargetFile',
    ]);
  });
});
