// Each demo service logs the version of its own package.json, also when it runs from the repository's
// root under `npm run demo` (whose npm_package_* variables describe the root package, which has none).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ENV, METRIC } from '@periscope/instrument/contract';
import { serviceVersion } from '../src/version.ts';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const ownVersion = (name: string): string => (JSON.parse(readFileSync(new URL(`../../${name}/package.json`, import.meta.url), 'utf8')) as { version: string }).version;

let child: ChildProcess | undefined;
afterEach(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  child = undefined;
});

/** Starts a service as the launcher does (from the repo root, env of `npm run demo`), resolves with its first JSON log line and its port. */
async function firstLogLine(name: string, env: NodeJS.ProcessEnv): Promise<{ line: Record<string, unknown>; port: number }> {
  const portEnv = `${name.toUpperCase()}_PORT`;
  child = spawn(process.execPath, [`demo-services/${name}/src/main.ts`], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, npm_package_name: 'periscope', npm_package_json: `${REPO_ROOT}package.json`, [portEnv]: '0', ADMIN_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for await (const text of createInterface({ input: child.stdout! })) {
    const line = JSON.parse(text) as Record<string, unknown>;
    if (typeof line.port === 'number') return { line, port: line.port };
  }
  throw new Error(`${name} exited before it listened`);
}

describe('the demo services’ version', () => {
  it.each(['users', 'thoughts', 'frontend'])('%s logs and exports the version of its package.json', async (name) => {
    const { line, port } = await firstLogLine(name, {});
    expect(line.version).toBe(ownVersion(name));
    expect(line.version).not.toBe('unknown');
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`${METRIC.buildInfo}\\{[^}]*version="${ownVersion(name).replace(/\./g, '\\.')}"`));
  }, 20_000);

  it('takes PERISCOPE_VERSION first, as a deploy sets it', () => {
    expect(serviceVersion('users', { [ENV.version]: '1.4.2' })).toBe('1.4.2');
    expect(serviceVersion('users', { [ENV.version]: ' ' })).toBe(ownVersion('users'));
  });
});
