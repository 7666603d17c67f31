// The crash test through the public door: a service that uses instrument() and throws at the top
// level. Runs against the built package (npm run build), as a user's service would.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { fixture } from './exceptions-fixtures.js';

function run(script: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [script], { env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not exit within 15 s`));
    }, 15_000);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('an instrumented service that crashes', () => {
  it('writes the fatal line with its stack and fingerprint to stdout before it exits with code 1', async () => {
    const { code, stdout, stderr } = await run(fixture('crash-service.mjs'));
    expect(code).toBe(1);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
    expect(lines.filter((l) => l.msg === 'starting')).toHaveLength(200);
    const fatal = lines.at(-1)!;
    expect(fatal).toMatchObject({ level: 'fatal', service: 'crash-svc', err: { type: 'TypeError', message: 'config db.url is missing', first_seen: true } });
    expect(fatal.err.stack).toMatch(/at readConfig \(.*crash-service\.mjs:\d+:\d+\)/);
    expect(fatal.err.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(stderr).toContain('TypeError: config db.url is missing');
  });
});
