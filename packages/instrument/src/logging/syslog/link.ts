/**
 * One connection to the collector: a TCP or TLS stream, or a connected UDP socket. The shipper
 * owns at most one link at a time and replaces it after a failure; a link never reconnects by
 * itself, so there is never a second socket to leak.
 */
import { connect as tcpConnect } from 'node:net';
import type { Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { ResolvedTls } from './tls-options.js';
import type { SyslogAddress } from './url.js';

/** What a link tells its owner. Each is called at most once per event, never after `down`. */
export interface LinkEvents {
  /** The link can take writes. */
  ready(): void;
  /** A write that returned `false` has been absorbed; more can be written. */
  drain(): void;
  /**
   * The link is gone (connect failure, reset, peer closed, stall); it must be replaced.
   * `rejected` is true when the TLS handshake failed (a certificate not trusted, a name that does
   * not match, a client certificate refused): the collector was reached but may not be sent to.
   */
  down(err: Error, rejected: boolean): void;
}

/** A transport to the collector. */
export interface Link {
  /** `stream`: ordered and retried on failure; `datagram`: one message per packet, not retried. */
  readonly kind: 'stream' | 'datagram';
  /** Writes one message frame (as UTF-8); `false` asks the caller to wait for `drain`. */
  write(frame: string, done: (err?: Error | null) => void): boolean;
  /** Destroys the socket now (what is unsent is the owner's to account for). */
  destroy(): void;
}

/** Timings of a stream link. */
export interface StreamTimings {
  /** Give up a connection attempt after this long. */
  readonly connectTimeoutMs: number;
  /** TCP keepalive: first probe after this much idle time, so a dead peer is noticed. */
  readonly keepAliveMs: number;
  /** Tear the connection down when written data has not drained for this long (a stuck peer). */
  readonly stallTimeoutMs: number;
}

/**
 * Opens a TCP or TLS connection. A collector never writes back, so `end` from the peer means it
 * is going away: the socket is destroyed at once rather than written into a half-closed pipe.
 */
export function openStream(address: SyslogAddress, timings: StreamTimings, tls: ResolvedTls | undefined, events: LinkEvents): Link {
  let isDown = false;
  let stallTimer: NodeJS.Timeout | undefined;
  let connectTimer: NodeJS.Timeout | undefined;
  let lastError: Error | undefined;
  let tcpUp = false;
  let secure = false;

  const socket: Socket =
    address.protocol === 'tls'
      ? tlsConnect({ host: address.host, port: address.port, ...tls })
      : tcpConnect({ host: address.host, port: address.port });

  const clearTimers = (): void => {
    clearTimeout(stallTimer);
    clearTimeout(connectTimer);
    stallTimer = connectTimer = undefined;
  };
  const fail = (err: Error): void => {
    lastError ??= err;
    socket.destroy();
  };

  connectTimer = setTimeout(() => fail(new Error(`syslog: could not connect to ${address.host}:${address.port} within ${timings.connectTimeoutMs} ms`)), timings.connectTimeoutMs);
  connectTimer.unref();

  socket.unref(); // shipping logs never keeps a process alive; shutdown() flushes first
  socket.setKeepAlive(true, timings.keepAliveMs);
  socket.setNoDelay(true);
  socket.on('connect', () => (tcpUp = true));
  socket.on(address.protocol === 'tls' ? 'secureConnect' : 'connect', () => {
    secure = true;
    clearTimeout(connectTimer);
    connectTimer = undefined;
    events.ready();
  });
  socket.on('drain', () => {
    clearTimeout(stallTimer);
    stallTimer = undefined;
    events.drain();
  });
  socket.on('data', () => undefined); // a collector has nothing to say; read and discard
  socket.on('end', () => fail(new Error(`syslog: ${address.host}:${address.port} closed the connection`)));
  socket.on('error', (err) => {
    lastError ??= err;
  });
  socket.on('close', () => {
    clearTimers();
    if (isDown) return;
    isDown = true;
    events.down(lastError ?? new Error(`syslog: connection to ${address.host}:${address.port} closed`), isRejection(address, tcpUp, secure, lastError));
  });

  return {
    kind: 'stream',
    write(frame, done) {
      const ok = socket.write(frame, 'utf8', done);
      if (!ok && !stallTimer) {
        stallTimer = setTimeout(
          () => fail(new Error(`syslog: ${address.host}:${address.port} stopped reading for ${timings.stallTimeoutMs} ms`)),
          timings.stallTimeoutMs,
        );
        stallTimer.unref();
      }
      return ok;
    },
    destroy() {
      isDown = true;
      clearTimers();
      socket.destroy();
    },
  };
}

/**
 * Whether the collector and this process failed to authenticate each other: TCP was up, the
 * handshake did not finish, and the error is TLS's (a certificate code such as
 * `UNABLE_TO_VERIFY_LEAF_SIGNATURE`), not a socket's (`ECONNRESET`, `EPIPE`...); or, at any time,
 * the collector sent a TLS alert (with TLS 1.3 a collector refuses a client certificate only
 * after the client has finished its handshake: `ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED`).
 */
function isRejection(address: SyslogAddress, tcpUp: boolean, secure: boolean, err: Error | undefined): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (address.protocol !== 'tls' || typeof code !== 'string') return false;
  return /^ERR_SSL_.*ALERT/.test(code) || (tcpUp && !secure && !/^E[A-Z]+$/.test(code));
}
