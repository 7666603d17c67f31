// The crash test through the public door: a service that uses instrument() and throws at the top
// level. Runs against the built package (npm run build), as a user's service would.
import { describe, expect, it } from 'vitest';
import { fixture, runNode } from './exceptions-fixtures.js';

describe('an instrumented service that crashes', () => {
  it('writes the fatal line with its stack and fingerprint to stdout before it exits with code 1', async () => {
    const { code, lines, stderr } = await runNode(fixture('crash-service.mjs'), [], { source: false });
    expect(code).toBe(1);
    expect(lines.filter((l) => l.msg === 'starting')).toHaveLength(200);
    const fatal = lines.at(-1)!;
    expect(fatal).toMatchObject({ level: 'fatal', service: 'crash-svc', err: { type: 'TypeError', message: 'config db.url is missing', first_seen: true } });
    expect(fatal.err.stack).toMatch(/at readConfig \(.*crash-service\.mjs:\d+:\d+\)/);
    expect(fatal.err.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(stderr).toContain('TypeError: config db.url is missing');
  });
});
