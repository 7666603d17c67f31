/**
 * A real rsyslog (Debian's `rsyslogd`) for the syslog tests: its own config in a temp dir, imtcp
 * and imudp on one free loopback port, foreground (`-n`), no system socket, no kernel log. It
 * writes every message twice: raw (`%rawmsg%`) and as the fields rsyslog parsed from RFC 5424.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What rsyslog parsed out of one message. */
export interface Received {
  appName: string;
  severity: number;
  facility: number;
  hostname: string;
  procId: string;
  timestamp: string;
  /** The MSG part (the JSON body). */
  msg: string;
}

export interface Rsyslog {
  readonly port: number;
  readonly dir: string;
  /** Raw messages as received (one per line). */
  raw(): string[];
  /** Parsed messages; waits (up to `timeoutMs`) until at least `min` are there. */
  received(min?: number, timeoutMs?: number): Promise<Received[]>;
  /** Stops the daemon (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
  /** Stops it and removes its directory. */
  dispose(): Promise<void>;
}

const RSYSLOGD = '/usr/sbin/rsyslogd';
const SEP = '\u0001';

/** Whether the rsyslog binary is installed (Debian package `rsyslog`). */
export const hasRsyslog = existsSync(RSYSLOGD);

/** A port free for both TCP and UDP on 127.0.0.1. */
export async function freePort(): Promise<number> {
  for (let i = 0; i < 20; i++) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
      server.on('error', reject);
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const s = createSocket('udp4');
      s.once('error', () => resolve(false));
      s.bind(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
  throw new Error('no free port for TCP and UDP on 127.0.0.1');
}

function config(dir: string, port: number): string {
  const fields = ['app-name', 'syslogseverity', 'syslogfacility', 'hostname', 'procid', 'timereported:::date-rfc3339', 'msg'];
  const parsed = fields.map((f) => `%${f}%`).join(SEP);
  return `
global(workDirectory="${dir}" maxMessageSize="128k")
module(load="imtcp")
module(load="imudp")
input(type="imtcp" address="127.0.0.1" port="${port}")
input(type="imudp" address="127.0.0.1" port="${port}")
template(name="raw" type="string" string="%rawmsg%\\n")
template(name="parsed" type="string" string="${parsed}\\n")
action(type="omfile" file="${join(dir, 'raw.log')}" template="raw")
action(type="omfile" file="${join(dir, 'parsed.log')}" template="parsed")
`;
}

function tcpAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function readLines(file: string): string[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
}

/** Starts rsyslog on a free port and waits until it accepts TCP connections. */
export async function startRsyslog(): Promise<Rsyslog> {
  const dir = mkdtempSync(join(tmpdir(), 'periscope-rsyslog-'));
  const port = await freePort();
  const conf = join(dir, 'rsyslog.conf');
  const pidFile = join(dir, 'rsyslogd.pid');
  writeFileSync(conf, config(dir, port));
  let child: ChildProcess | undefined;
  let stderr = '';

  const start = async (): Promise<void> => {
    stderr = '';
    child = spawn(RSYSLOGD, ['-n', '-f', conf, '-i', pidFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`rsyslogd exited with ${child.exitCode}: ${stderr}`);
      if (await tcpAccepts(port)) return;
      await sleep(50);
    }
    throw new Error(`rsyslogd did not listen on ${port} within 10 s: ${stderr}`);
  };

  const stop = async (): Promise<void> => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    c.kill('SIGTERM');
    const killTimer = setTimeout(() => c.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(killTimer);
  };

  const parsed = (): Received[] =>
    readLines(join(dir, 'parsed.log')).map((line) => {
      const [appName, severity, facility, hostname, procId, timestamp, ...msg] = line.split(SEP);
      return { appName: appName!, severity: Number(severity), facility: Number(facility), hostname: hostname!, procId: procId!, timestamp: timestamp!, msg: msg.join(SEP) };
    });

  await start();
  return {
    port,
    dir,
    raw: () => readLines(join(dir, 'raw.log')),
    async received(min = 1, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      let got = parsed();
      while (got.length < min && Date.now() < deadline) {
        await sleep(50);
        got = parsed();
      }
      return got;
    },
    stop,
    start,
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Open sockets of this process (Linux: /proc/self/fd), to check that reconnecting leaks none. */
export function openSockets(): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`).startsWith('socket:');
    } catch {
      return false;
    }
  }).length;
}
