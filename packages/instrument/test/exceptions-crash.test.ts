// The crash tests through the public door: a service that uses instrument() and throws. Runs
// against the built package (npm run build), as a user's service would.
import { describe, expect, it } from 'vitest';
import { fixture, onlyFatal, runNode } from './exceptions-fixtures.js';
import type { ChildRun } from './exceptions-fixtures.js';

function expectFatalLine(run: ChildRun): void {
  expect(run.code).toBe(1);
  const fatal = onlyFatal(run);
  expect(fatal).toMatchObject({ service: 'crash-svc', err: { type: 'TypeError', message: 'config db.url is missing', first_seen: true } });
  expect(fatal.err.stack).toMatch(/at readConfig \(.*crash-service\.mjs:\d+:\d+\)/);
  expect(fatal.err.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  expect(run.stderr).toContain('TypeError: config db.url is missing');
}

describe('an instrumented service that crashes', () => {
  it('at start-up: writes the fatal line with its stack and fingerprint, loses none of the lines before it, and exits 1', async () => {
    const run = await runNode(fixture('crash-service.mjs'), ['start-up'], { source: false });
    expectFatalLine(run);
    // Every line arrives once. Their order is not asserted here: a write the thread pool has not
    // run within the grace period lands after the fatal line (see src/logging/sonic-boom.ts).
    expect(run.lines.filter((l) => l.msg === 'starting').map((l) => l.i)).toEqual(expect.arrayContaining([...Array(200).keys()]));
    expect(run.lines).toHaveLength(201);
  });

  it('while running: writes the lines still in the batch, then the fatal line last, in order', async () => {
    const run = await runNode(fixture('crash-service.mjs'), ['running'], { source: false });
    expectFatalLine(run);
    expect(run.lines.slice(0, -1).map((l) => l.i)).toEqual([...Array(220).keys()]);
    expect(run.lines.at(-1)!.level).toBe('fatal');
  });
});
