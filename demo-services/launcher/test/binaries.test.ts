import { describe, expect, it } from 'vitest';
import { findBinary, installAdvice } from '../src/binaries.ts';

describe('finding Prometheus, Alertmanager and the node exporter', () => {
  it('uses the *_BIN variable when it names an executable', () => {
    expect(findBinary('prometheus', { PATH: '', PROMETHEUS_BIN: '/bin/sh' })).toBe('/bin/sh');
  });

  it('refuses a *_BIN variable that names no executable, naming the variable', () => {
    expect(() => findBinary('alertmanager', { ALERTMANAGER_BIN: '/nonexistent/alertmanager' })).toThrow(
      'ALERTMANAGER_BIN="/nonexistent/alertmanager" is not an executable file',
    );
  });

  it('says exactly what to install, where the compose file is, and that the services still run', () => {
    expect(installAdvice(['prometheus', 'nodeExporter']).split('\n')).toEqual([
      'Not installed: prometheus prometheus-node-exporter.',
      '  Install them (Debian/Ubuntu):   sudo apt-get install -y prometheus prometheus-node-exporter',
      '  or run the whole stack in containers:   docker compose -f deploy/compose.yaml up',
      '  or point PROMETHEUS_BIN / NODE_EXPORTER_BIN at the programs.',
      'Starting the services without them.',
    ]);
  });
});
