import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { freePort, startLoopbackServer, startServer, stopProcess } from '../process.ts';
import { waitFor } from '../wait.ts';

describe('test servers', () => {
  it('hands out a port nothing listens on', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  });

  it('rejects with the command named when the binary does not exist', async () => {
    await expect(startServer('periscope-no-such-binary', [], 'http://127.0.0.1:1/')).rejects.toThrow(/^periscope-no-such-binary could not start: spawn periscope-no-such-binary ENOENT/);
  });

  it('rejects with the output of a server that exits before it is ready', async () => {
    const server = startServer(process.execPath, ['-e', 'console.error("bad flag"); process.exit(3)'], 'http://127.0.0.1:1/', 5_000);
    await expect(server).rejects.toThrow(/was not ready at http:\/\/127\.0\.0\.1:1\/ within 5000 ms:\nbad flag/);
  });

  it('starts a server on a free loopback port and stops it', async () => {
    const script = 'require("node:http").createServer((q, s) => s.end("ok")).listen(Number(process.argv[1]), "127.0.0.1")';
    const server = await startLoopbackServer(process.execPath, (port) => ['-e', script, String(port)], '/ready');
    expect(await (await fetch(`${server.url}/ready`)).text()).toBe('ok');
    await server.stop();
    expect(server.process.child.signalCode).toBe('SIGTERM');
    await expect(fetch(`${server.url}/ready`)).rejects.toThrow();
  });

  it('kills a process that ignores SIGTERM once the grace period ends', async () => {
    const child = spawn(process.execPath, ['-e', 'process.on("SIGTERM", () => {}); console.log("up"); setInterval(() => {}, 1000)'], { stdio: ['ignore', 'pipe', 'ignore'] });
    await once(child.stdout, 'data');
    const started = Date.now();
    await stopProcess(child, 300);
    expect(child.signalCode).toBe('SIGKILL');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });
});

describe('waitFor', () => {
  it('resolves with the first value that is neither undefined nor false, retrying after errors', async () => {
    let calls = 0;
    const value = await waitFor('the third call', () => {
      calls += 1;
      if (calls === 1) throw new Error('not yet');
      return calls === 3 ? 'ready' : false;
    }, 2_000, 10);
    expect(value).toBe('ready');
    expect(calls).toBe(3);
  });

  it('rejects naming what it waited for after the timeout', async () => {
    await expect(waitFor('something that never comes', () => undefined, 100, 20)).rejects.toThrow('timed out after 100 ms: waiting for something that never comes');
  });
});
