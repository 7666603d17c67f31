// The `periscope trace` example in the CLI's README is what the command prints for the demo: the
// same request (a POST /api/thoughts through frontend, thoughts and users) is sent to a running
// demo, traced from its span and log files, and compared with the README line by line — times,
// IDs, ports and bar lengths aside.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '@periscope/cli';
import { DEMO_ACCOUNTS } from '../../shared/src/demo-accounts.ts';
import type { Stack } from '../src/stack.ts';
import { startServices } from './helpers.ts';
import { REPO_ROOT } from '../src/paths.ts';

const README = path.join(REPO_ROOT, 'packages', 'cli', 'README.md');
let dir: string | undefined;
let stack: Stack | undefined;

afterAll(async () => {
  await stack?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The README's example output: the code block after its `npx periscope trace <id>` command. */
function readmeExample(): { id: string; lines: string[] } {
  const text = readFileSync(README, 'utf8');
  const match = /```sh\nnpx periscope trace (\S+)\n```\n\n```\n([\s\S]*?)```/.exec(text);
  if (!match) throw new Error(`${README} has no \`npx periscope trace <id>\` example followed by its output`);
  return { id: match[1]!, lines: match[2]!.trimEnd().split('\n') };
}

/** A waterfall line with what varies from run to run taken out. */
function shape(line: string): string {
  return line
    .replace(/\b[0-9a-f]{32}\b/g, '<trace-id>')
    .replace(/\d\d:\d\d:\d\d\.\d{3}/g, '<time>')
    .replace(/127\.0\.0\.1:\d+/g, '<host:port>')
    .replace(/\|[█ ]+\|/g, '|<bar>|')
    .replace(/\d+(\.\d+)? ms/g, '<n> ms')
    .replace(/\s+/g, ' ')
    .trim();
}

describe('the CLI README', () => {
  it('shows what `periscope trace` prints for a request through the demo', async () => {
    const { id, lines } = readmeExample();
    dir = mkdtempSync(path.join(tmpdir(), 'periscope-cli-example-'));
    stack = await startServices(path.join(dir, 'state'));
    const frontend = stack.urls.frontend!;
    const account = DEMO_ACCOUNTS[0]!;
    const login = await fetch(`${frontend}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: account.username, password: account.password }) });
    const { token } = (await login.json()) as { token: string };
    const post = await fetch(`${frontend}/api/thoughts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': id },
      body: JSON.stringify({ text: 'Looms weave the warp and the weft.' }),
    });
    expect(post.status).toBe(201);
    const running = stack;
    await running.stop();
    let out = '';
    const code = await main(['trace', id, path.dirname(running.spansFile('users')), path.dirname(running.logFile('users'))], (s) => (out += s), () => undefined);
    expect(code).toBe(0);
    expect(out.trimEnd().split('\n').map(shape)).toEqual(lines.map(shape));
  }, 60_000);
});
