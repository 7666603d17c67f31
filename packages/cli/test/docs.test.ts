import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, removeTempDirs, tempDir, writeDemoRequest } from './helpers.js';

afterEach(removeTempDirs);

const DOC = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'docs', 'tracing-a-request.md');

/** The IDs the doc's examples use; the fixture holds a request with them. */
const IDS = { requestId: '8c0f6a3e-2f1b-4c7e-9d2a-51e0b7c4a6f9', traceId: '0af7651916cd43dd8448eb211c80319c' };

/** The `periscope …` command lines of the doc's shell code blocks, as argument lists. */
function docCommands(markdown: string): { line: string; args: string[] }[] {
  const blocks = [...markdown.matchAll(/```(?:sh|shell|bash|console)\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks
    .flatMap((b) => b.split('\n'))
    .map((l) => l.replace(/^\$ /, '').replace(/\s+#.*$/, '').trim())
    .filter((l) => /^(npx )?periscope(\s|$)/.test(l))
    .map((line) => ({ line, args: line.replace(/^npx /, '').split(/\s+/).slice(1) }));
}

/**
 * A working directory as a reader of the doc would have: the demo's `.periscope/spans` and
 * `.periscope/logs`, and the same request in `myapp/logs/` and `myapp/spans.jsonl`.
 */
function fixture(): string {
  const cwd = tempDir();
  writeDemoRequest(join(cwd, '.periscope', 'spans'), join(cwd, '.periscope', 'logs'), IDS);
  writeDemoRequest(join(cwd, 'myapp', 'spans'), join(cwd, 'myapp', 'logs'), IDS);
  const spans = ['frontend', 'users', 'thoughts'].map((s) => readFileSync(join(cwd, 'myapp', 'spans', `${s}.jsonl`), 'utf8')).join('');
  writeFileSync(join(cwd, 'myapp', 'spans.jsonl'), spans);
  rmSync(join(cwd, 'myapp', 'spans'), { recursive: true });
  return cwd;
}

describe('docs/tracing-a-request.md', () => {
  const commands = docCommands(readFileSync(DOC, 'utf8'));

  it('shows trace and logs commands (the extraction finds them)', () => {
    expect(commands.length).toBeGreaterThanOrEqual(5);
    const names = commands.map((c) => c.args[0]);
    expect(names).toContain('trace');
    expect(names).toContain('logs');
  });

  it('holds only plain command lines, no shell syntax the check would skip over', () => {
    for (const { line } of commands) expect(line, line).not.toMatch(/[|;&$`'"<>\\(){}*?]/);
  });

  it('has every command run as written against a request in the files it reads (exit 0)', () => {
    const cwd = fixture();
    for (const { line, args } of commands) {
      const run = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });
      expect({ line, status: run.status, stderr: run.stderr }).toEqual({ line, status: 0, stderr: '' });
      if (args[0] === 'trace') expect(run.stdout, line).toContain(`trace ${IDS.traceId}`);
      if (args[0] === 'logs') expect(run.stdout, line).toContain('request completed');
    }
  });
});
