/**
 * Every command a doc tells the reader to type runs as written, as far as it can without the
 * servers it talks to: npm scripts exist and their arguments parse with the real parsers, the
 * `periscope` subcommands exist, and every file a command names is in the repo.
 * (`docs/tracing-a-request.md` runs its commands for real in packages/cli/test/docs.test.ts.)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, globSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDemoArgs, parseFaultArgs } from '@periscope-demo/launcher';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DOCS = ['README.md', 'docs/*.md', 'demo-services/README.md', 'alerts/README.md', 'deploy/*/README.md', 'packages/*/README.md']
  .flatMap((pattern) => globSync(pattern, { cwd: ROOT }))
  .filter((f) => f !== 'docs/tracing-a-request.md');
const SCRIPTS = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const CLI = join(ROOT, 'packages/cli/bin/periscope.cjs');

interface Command {
  doc: string;
  line: string;
  words: string[];
}

/** Command lines of the shell code blocks: prompts, comments and `VAR=value` prefixes taken off. */
function commandsOf(doc: string): Command[] {
  const markdown = readFileSync(join(ROOT, doc), 'utf8');
  return [...markdown.matchAll(/```(?:sh|shell|bash|console)\n([\s\S]*?)```/g)]
    .flatMap((m) => m[1]!.split('\n'))
    .map((l) => l.replace(/^\$ /, '').replace(/\s+#.*$/, '').trim())
    .filter((l) => l !== '')
    .map((line) => {
      const words = line.split(/\s+/);
      while (words.length > 0 && /^[A-Z_][A-Z0-9_]*=/.test(words[0]!)) words.shift();
      return { doc, line, words };
    });
}

/** Arguments that name a path under one of the repo's top-level folders (`deploy/…`, `alerts/…`). */
function pathArguments(words: readonly string[]): string[] {
  return words
    .slice(1)
    .map((w) => w.replace(/^--?[\w.-]+=/, ''))
    .filter((w) => /^[\w.-]+\/[\w./*-]*$/.test(w) && existsSync(join(ROOT, w.split('/')[0]!)));
}

const exists = (path: string) => (path.includes('*') ? globSync(path, { cwd: ROOT }).length > 0 : existsSync(join(ROOT, path)));

/** Checks one command; returns what was checked, or undefined for a program this test does not know. */
function check(c: Command): string | undefined {
  const [program, ...args] = c.words;
  if (program === 'npm') {
    if (args[0] === 'test' || args[0] === 'ci' || args[0] === 'install') return 'npm builtin';
    if (args[0] !== 'run') return undefined;
    const script = args[1]!;
    expect(SCRIPTS, `${c.doc}: ${c.line}`).toHaveProperty(script);
    const rest = args.slice(2);
    const scriptArgs = rest[0] === '--' ? rest.slice(1) : rest.filter((a) => !a.startsWith('-w'));
    if (script === 'demo') expect(() => parseDemoArgs(scriptArgs, {}), `${c.doc}: ${c.line}`).not.toThrow();
    if (script === 'fault' && !scriptArgs.includes('--help')) expect(() => parseFaultArgs(scriptArgs), `${c.doc}: ${c.line}`).not.toThrow();
    return `npm run ${script}`;
  }
  if (program === 'npx' && args[0] === 'periscope') {
    const sub = args[1] && !args[1].startsWith('-') && !args[1].startsWith('<') ? [args[1]] : [];
    const run = spawnSync(process.execPath, [CLI, ...sub, '--help'], { cwd: ROOT, encoding: 'utf8' });
    expect({ line: c.line, status: run.status }).toEqual({ line: c.line, status: 0 });
    return 'periscope';
  }
  if (['node', 'docker', 'prometheus', 'promtool', 'amtool', 'kubectl', 'vitest', 'PATH', 'cat', 'ls'].includes(program!)) {
    for (const path of pathArguments(c.words)) expect(exists(path), `${c.doc}: ${c.line} names ${path}`).toBe(true);
    return program;
  }
  return undefined;
}

describe('commands in the docs', () => {
  const commands = DOCS.flatMap(commandsOf);

  it('are found in the docs a newcomer reads (the extraction works)', () => {
    expect(DOCS).toContain('README.md');
    expect(DOCS).toContain('demo-services/README.md');
    expect(commands.filter((c) => c.words[0] === 'npm').length).toBeGreaterThanOrEqual(10);
  });

  it('run as written: npm scripts and their arguments, periscope subcommands, and the files they name', () => {
    const checked = commands.map(check).filter((k) => k !== undefined);
    expect(checked.length).toBeGreaterThanOrEqual(20);
    expect(checked).toContain('npm run demo');
    expect(checked).toContain('npm run fault');
  });

  it('would catch a drifted command (the checks can fail)', () => {
    expect(() => check({ doc: 'x', line: 'npm run no-such-script', words: ['npm', 'run', 'no-such-script'] })).toThrow();
    expect(() => check({ doc: 'x', line: 'npm run fault -- users --error-rate 2', words: ['npm', 'run', 'fault', '--', 'users', '--error-rate', '2'] })).toThrow();
    expect(() => check({ doc: 'x', line: 'node alerts/slo/nope.ts', words: ['node', 'alerts/slo/nope.ts'] })).toThrow();
  });
});
