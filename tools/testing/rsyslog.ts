/**
 * A real rsyslog (Debian's `rsyslogd`) for the syslog tests: its own config in a temp dir, imtcp
 * and imudp on one free loopback port, optionally a TLS listener (Debian's `rsyslog-gnutls`) on
 * another, foreground (`-n`), no system socket, no kernel log. It writes every message twice:
 * raw (`%rawmsg%`) and as the fields rsyslog parsed from RFC 5424.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, LOOPBACK, stopProcess } from './process.ts';
import { waitFor } from './wait.ts';

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

/** A TLS listener: rsyslog's own certificate, and how it checks clients. */
export interface RsyslogTls {
  /** PEM file of the CA that client certificates must chain to (gtls needs one even for `anon`). */
  caFile: string;
  /** PEM files of rsyslog's certificate and key. */
  certFile: string;
  keyFile: string;
  /** `anon`: any client; `x509/certvalid`: a client certificate signed by `caFile` is required. Default `anon`. */
  authMode?: 'anon' | 'x509/certvalid';
}

export interface Rsyslog {
  /** TCP and UDP port. */
  readonly port: number;
  /** TLS port (when started with `tls`). */
  readonly tlsPort: number | undefined;
  readonly dir: string;
  /** Raw messages as received (one per line). */
  raw(): string[];
  /** Parsed messages; waits (up to `timeoutMs`) until at least `min` are there. */
  received(min?: number, timeoutMs?: number): Promise<Received[]>;
  /** Stops the daemon (SIGTERM, then SIGKILL) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same ports. */
  start(): Promise<void>;
  /** Stops it and removes its directory. */
  dispose(): Promise<void>;
}

const RSYSLOGD = '/usr/sbin/rsyslogd';
const SEP = '\u0001';

/** Whether the rsyslog binary is installed (Debian package `rsyslog`). */
export const hasRsyslog = existsSync(RSYSLOGD);

/** Whether rsyslog's GnuTLS network driver is installed (Debian package `rsyslog-gnutls`). */
export const hasRsyslogTls = ['/usr/lib/x86_64-linux-gnu/rsyslog/lmnsd_gtls.so', '/usr/lib/aarch64-linux-gnu/rsyslog/lmnsd_gtls.so', '/usr/lib/rsyslog/lmnsd_gtls.so'].some(existsSync);

function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    s.once('error', () => resolve(false));
    s.bind(port, LOOPBACK, () => s.close(() => resolve(true)));
  });
}

/** A port free for both TCP and UDP on 127.0.0.1. */
export async function freeTcpUdpPort(): Promise<number> {
  for (let i = 0; i < 20; i++) {
    const port = await freePort();
    if (await udpFree(port)) return port;
  }
  throw new Error(`no port free for both TCP and UDP on ${LOOPBACK}`);
}

function config(dir: string, port: number, tlsPort: number | undefined, tls: RsyslogTls | undefined): string {
  const fields = ['app-name', 'syslogseverity', 'syslogfacility', 'hostname', 'procid', 'timereported:::date-rfc3339', 'msg'];
  const parsed = fields.map((f) => `%${f}%`).join(SEP);
  const tlsInput = tls
    ? `input(type="imtcp" address="${LOOPBACK}" port="${tlsPort}" streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="${tls.authMode ?? 'anon'}"` +
      ` streamDriver.CAFile="${tls.caFile}" streamDriver.CertFile="${tls.certFile}" streamDriver.KeyFile="${tls.keyFile}")`
    : '';
  return `
global(workDirectory="${dir}" maxMessageSize="128k")
module(load="imtcp")
module(load="imudp")
input(type="imtcp" address="${LOOPBACK}" port="${port}")
input(type="imudp" address="${LOOPBACK}" port="${port}")
${tlsInput}
template(name="raw" type="string" string="%rawmsg%\\n")
template(name="parsed" type="string" string="${parsed}\\n")
action(type="omfile" file="${join(dir, 'raw.log')}" template="raw")
action(type="omfile" file="${join(dir, 'parsed.log')}" template="parsed")
`;
}

function tcpAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: LOOPBACK, port }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

function readLines(file: string): string[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
}

/** Starts rsyslog on free ports and waits until it accepts TCP connections (on the TLS port too). */
export async function startRsyslog(options: { tls?: RsyslogTls } = {}): Promise<Rsyslog> {
  const dir = mkdtempSync(join(tmpdir(), 'periscope-rsyslog-'));
  const port = await freeTcpUdpPort();
  const tlsPort = options.tls ? await freePort() : undefined;
  const conf = join(dir, 'rsyslog.conf');
  const pidFile = join(dir, 'rsyslogd.pid');
  writeFileSync(conf, config(dir, port, tlsPort, options.tls));
  let child: ChildProcess | undefined;
  let stderr = '';

  const start = async (): Promise<void> => {
    stderr = '';
    const c = spawn(RSYSLOGD, ['-n', '-f', conf, '-i', pidFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = c;
    c.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const listening = async (): Promise<'exited' | boolean> => {
      if (c.exitCode !== null) return 'exited';
      return (await tcpAccepts(port)) && (tlsPort === undefined || (await tcpAccepts(tlsPort)));
    };
    const state = await waitFor(`rsyslogd to listen on ${port}${tlsPort ? ` and ${tlsPort}` : ''}`, listening, 10_000, 50).catch((error: Error) => error);
    if (state === true) return;
    await stopProcess(c);
    throw new Error(`${state === 'exited' ? `rsyslogd exited with ${c.exitCode}` : (state as Error).message}:\n${stderr}`);
  };

  const stop = async (): Promise<void> => {
    const c = child;
    child = undefined;
    if (c) await stopProcess(c);
  };

  const parsed = (): Received[] =>
    readLines(join(dir, 'parsed.log')).map((line) => {
      const [appName, severity, facility, hostname, procId, timestamp, ...msg] = line.split(SEP);
      return { appName: appName!, severity: Number(severity), facility: Number(facility), hostname: hostname!, procId: procId!, timestamp: timestamp!, msg: msg.join(SEP) };
    });

  try {
    await start();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    port,
    tlsPort,
    dir,
    raw: () => readLines(join(dir, 'raw.log')),
    async received(min = 1, timeoutMs = 10_000) {
      if (min <= 0) return parsed();
      return waitFor(`${min} messages in rsyslog`, () => {
        const got = parsed();
        return got.length >= min ? got : undefined;
      }, timeoutMs, 50).catch(() => parsed());
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
