import { describe, expect, it } from 'vitest';
import { basename } from 'node:path';
import { runTool } from '../lib/exec.ts';
import { ALERTS_DIR, ruleFilePaths } from '../lib/rules.ts';
import { promtoolTestPaths } from '../lib/promtool-tests.ts';

describe('promtool check rules', () => {
  it('accepts every rules file with no findings, duplicate-rule lint included', async () => {
    const files = ruleFilePaths();
    const result = await runTool('promtool', ['check', 'rules', '--lint=all', '--lint-fatal', ...files], { cwd: ALERTS_DIR });
    const output = result.stdout + result.stderr;
    expect(result.code, output).toBe(0);
    expect(output).not.toMatch(/FAILED|WARNING|lint error/i);
    expect(output.match(/SUCCESS: \d+ rules found/g)).toHaveLength(files.length);
  });
});

describe('promtool test rules', () => {
  it.each(promtoolTestPaths().map((path) => [basename(path), path]))('passes every case of %s', async (_name, path) => {
    const result = await runTool('promtool', ['test', 'rules', path], { cwd: ALERTS_DIR, timeoutMs: 120_000 });
    const output = result.stdout + result.stderr;
    expect(result.code, output).toBe(0);
    expect(output).toContain('SUCCESS');
  }, 120_000);
});
