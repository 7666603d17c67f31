import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as api from '../src/index.js';
import type { InstrumentOptions, TracePropagationTargets } from '../src/index.js';
import * as contract from '../src/contract.js';

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), '..');

const EXPECTED_EXPORTS = [
  'ACCESS_MESSAGE', 'ALREADY_INSTRUMENTED', 'AUDIT_WRITE_FAILED', 'DURATION_BUCKETS', 'ENV', 'HEADER', 'HEALTH_PATH', 'INVALID_APP', 'INVALID_AUDIT_EVENT', 'INVALID_OPTION', 'LABEL', 'LOG_KEY', 'METRIC',
  'METRICS_PATH', 'OVERFLOW_VALUE', 'SPAN_ATTRIBUTE', 'SYSLOG_UNAVAILABLE', 'UNMATCHED_ROUTE', 'currentRequestId', 'instrument',
];

const CONTRACT_EXPORTS = [
  'ACCESS_MESSAGE', 'DURATION_BUCKETS', 'ENV', 'HEADER', 'HEALTH_PATH', 'LABEL', 'LOG_KEY', 'METRIC', 'METRICS_PATH', 'OVERFLOW_VALUE', 'SPAN_ATTRIBUTE', 'UNMATCHED_ROUTE',
];

describe('public exports', () => {
  it('exports exactly the documented names (a change here is deliberate)', () => {
    expect(Object.keys(api).sort()).toEqual(EXPECTED_EXPORTS);
  });

  it('exports the type of the tracePropagationTargets option (type exports are pinned by tsc)', () => {
    expectTypeOf<TracePropagationTargets>().toEqualTypeOf<readonly (string | RegExp)[] | ((host: string) => boolean)>();
    expectTypeOf<InstrumentOptions['tracePropagationTargets']>().toEqualTypeOf<TracePropagationTargets | undefined>();
  });

  it('works when imported as ESM and when required as CommonJS from the built package', () => {
    expect(existsSync(join(pkgDir, 'dist/esm/index.js')), 'run `npm run build` first').toBe(true);
    const script = (kind: 'esm' | 'cjs') =>
      kind === 'esm'
        ? `import * as m from '@periscope/instrument'; import express from 'express'; const t = m.instrument(express(), { service: 'esm', stdout: false }); console.log(JSON.stringify({ keys: Object.keys(m).sort(), metric: m.METRIC.serverDuration })); await t.shutdown();`
        : `const m = require('@periscope/instrument'); const express = require('express'); const t = m.instrument(express(), { service: 'cjs', stdout: false }); console.log(JSON.stringify({ keys: Object.keys(m).filter(k => k !== '__esModule').sort(), metric: m.METRIC.serverDuration })); t.shutdown();`;
    for (const kind of ['esm', 'cjs'] as const) {
      const args = kind === 'esm' ? ['--input-type=module', '-e', script(kind)] : ['-e', script(kind)];
      const out = execFileSync(process.execPath, args, { cwd: pkgDir, encoding: 'utf8' });
      expect(JSON.parse(out)).toEqual({ keys: EXPECTED_EXPORTS, metric: 'http_server_request_duration_seconds' });
    }
  });

  it('serves the telemetry contract alone at @periscope/instrument/contract, the same values as the main entry', () => {
    expect(Object.keys(contract).sort()).toEqual(CONTRACT_EXPORTS);
    for (const name of CONTRACT_EXPORTS) expect((contract as Record<string, unknown>)[name]).toBe((api as Record<string, unknown>)[name]);
    const esm = `import * as c from '@periscope/instrument/contract'; console.log(JSON.stringify([Object.keys(c).sort(), c.METRIC.serverDuration, true]));`;
    const cjs = `const c = require('@periscope/instrument/contract'); console.log(JSON.stringify([Object.keys(c).filter(k => k !== '__esModule').sort(), c.METRIC.serverDuration, !Object.keys(require.cache).some(f => /node_modules[\\/](express|pino|@opentelemetry)[\\/]/.test(f))]));`;
    expect(JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', esm], { cwd: pkgDir, encoding: 'utf8' }))).toEqual([CONTRACT_EXPORTS, 'http_server_request_duration_seconds', true]);
    // Loading the contract loads none of the runtime dependencies.
    expect(JSON.parse(execFileSync(process.execPath, ['-e', cjs], { cwd: pkgDir, encoding: 'utf8' }))).toEqual([CONTRACT_EXPORTS, 'http_server_request_duration_seconds', true]);
  });

  it('ships type declarations for both module systems', () => {
    for (const f of ['dist/esm/index.d.ts', 'dist/cjs/index.d.ts', 'dist/esm/contract.d.ts', 'dist/cjs/contract.d.ts']) expect(existsSync(join(pkgDir, f))).toBe(true);
  });
});
