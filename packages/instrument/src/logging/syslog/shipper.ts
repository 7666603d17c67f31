/**
 * Ships JSON log lines to a syslog collector, RFC 5424 over TCP, TLS or UDP.
 *
 * Built on winston-syslog, which is loaded lazily and supplies the RFC 5424 producer (glossy).
 * Its transport is not used for the network: it queues without bound while disconnected, does
 * not notice an idle connection whose peer died, leaves the old socket behind when it
 * reconnects, splits oversized UDP payloads into datagrams that are not syslog messages, and
 * swallows errors. This module owns that layer instead:
 *
 * - a bounded queue (`maxBufferedRecords`); when full the oldest record is dropped and counted;
 * - one socket at a time, replaced after a failure with capped, jittered exponential backoff;
 * - TCP keepalive, a connect timeout and a stall timeout, so a dead or stuck collector is noticed;
 * - messages sized to `maxMessageBytes` (and one UDP datagram) as valid, shrunk JSON, never split;
 * - `write()` never throws and never blocks; a failure is reported once per outage and counted.
 */
import { hostname as osHostname } from 'node:os';
import type { ConnectionOptions } from 'node:tls';
import { optionTypeError, optionValueError } from '../../core/errors.js';
import { openDatagram } from './datagram.js';
import { openStream } from './link.js';
import type { Link } from './link.js';
import { loadSyslogLibrary } from './load.js';
import { encodeMessage, headerField, MAX_UDP_PAYLOAD } from './message.js';
import type { MessageSettings } from './message.js';
import { BoundedQueue } from './queue.js';
import { parseSyslogUrl } from './url.js';
import type { SyslogAddress } from './url.js';

/** Why records were dropped, as passed to `onDrop`. */
export type SyslogDropReason = 'buffer_full' | 'oversized' | 'send_failed' | 'closed' | 'internal_error';

/** Options of {@link createSyslogShipper}. */
export interface SyslogShipperOptions {
  /** Collector address: `tcp://host:port`, `tls://host:port` or `udp://host:port`. */
  url: string;
  /** RFC 5424 APP-NAME: the service name (at most 48 printable ASCII characters are kept). */
  appName: string;
  /** RFC 5424 HOSTNAME. Default: the machine's host name. */
  hostname?: string;
  /** Syslog facility, 0-23. Default 16 (local0). */
  facility?: number;
  /** Records held while the collector is unreachable or slow. Default 10 000. */
  maxBufferedRecords?: number;
  /** Largest message (header and body, without the TCP length prefix). Default 8 192 (rsyslog's default), at most 65 507 for UDP. */
  maxMessageBytes?: number;
  /** First reconnection delay. Default 200 ms. */
  reconnectBaseMs?: number;
  /** Longest reconnection delay. Default 30 000 ms. */
  reconnectMaxMs?: number;
  /** Connection attempt timeout (TCP/TLS). Default 5 000 ms. */
  connectTimeoutMs?: number;
  /** Idle time before the first TCP keepalive probe. Default 15 000 ms. */
  keepAliveMs?: number;
  /** Reconnect when written data has not drained for this long (TCP/TLS). Default 10 000 ms. */
  stallTimeoutMs?: number;
  /** Called when records are dropped, with how many and why. */
  onDrop?: (n: number, reason: SyslogDropReason) => void;
  /** Called once per outage (the first failure after a healthy period). Default: a process warning. */
  onError?: (err: Error) => void;
  /** TLS options for `tls://` (CA, client certificate, ...). */
  tls?: ConnectionOptions;
}

/** A running shipper. */
export interface SyslogShipper {
  /** Queues one JSON line for shipping. Never throws, never blocks. */
  write(jsonLine: string): void;
  /** Resolves once everything queued has been handed to the network, or after `timeoutMs` (default 5 000). */
  flush(timeoutMs?: number): Promise<void>;
  /** Flushes (up to 2 s), then closes the connection; later writes are dropped. Idempotent. */
  close(): Promise<void>;
  /** Records dropped since the start. */
  readonly dropped: number;
  /** Records handed to the network since the start. */
  readonly sent: number;
  /** Records shipped in shrunk form because they were larger than `maxMessageBytes`. */
  readonly truncated: number;
  /** Records waiting in the buffer. */
  readonly buffered: number;
  /** Whether a connection to the collector is up. */
  readonly connected: boolean;
}

const DEFAULTS = Object.freeze({
  facility: 16,
  maxBufferedRecords: 10_000,
  maxMessageBytes: 8_192,
  reconnectBaseMs: 200,
  reconnectMaxMs: 30_000,
  connectTimeoutMs: 5_000,
  keepAliveMs: 15_000,
  stallTimeoutMs: 10_000,
});

/**
 * An outage ends when a TCP/TLS connection is up again, or after this long without a failure.
 * The second rule is the only one for UDP: its socket "connects" without any collector, and a
 * dead collector shows only as an error on every other send.
 */
const OUTAGE_QUIET_MS = 60_000;

/** Smallest `maxMessageBytes`: room for a header and a shrunk record. */
const MIN_MESSAGE_BYTES = 480;

type Settings = { -readonly [K in keyof typeof DEFAULTS]: number };

function intOption(o: SyslogShipperOptions, key: keyof Settings, min: number, max: number): number {
  const value = o[key];
  if (value === undefined) return DEFAULTS[key];
  const expected = `an integer from ${min} to ${max}`;
  if (typeof value !== 'number') throw optionTypeError(`syslog.${key}`, value, expected);
  if (!Number.isInteger(value) || value < min || value > max) throw optionValueError(`syslog.${key}`, value, expected);
  return value;
}

function validate(o: SyslogShipperOptions): { address: SyslogAddress; settings: Settings } {
  if (typeof o !== 'object' || o === null) throw optionTypeError('syslog', o, 'an object');
  const address = parseSyslogUrl(o.url, 'syslog.url');
  if (typeof o.appName !== 'string' || o.appName.trim() === '') throw optionTypeError('syslog.appName', o.appName, 'a non-empty string');
  if (o.hostname !== undefined && (typeof o.hostname !== 'string' || o.hostname === '')) {
    throw optionTypeError('syslog.hostname', o.hostname, 'a non-empty string');
  }
  for (const hook of ['onDrop', 'onError'] as const) {
    if (o[hook] !== undefined && typeof o[hook] !== 'function') throw optionTypeError(`syslog.${hook}`, o[hook], 'a function');
  }
  const maxBytes = address.protocol === 'udp' ? MAX_UDP_PAYLOAD : 1024 * 1024;
  const settings: Settings = {
    facility: intOption(o, 'facility', 0, 23),
    maxBufferedRecords: intOption(o, 'maxBufferedRecords', 1, 10_000_000),
    maxMessageBytes: intOption(o, 'maxMessageBytes', MIN_MESSAGE_BYTES, maxBytes),
    reconnectBaseMs: intOption(o, 'reconnectBaseMs', 1, 3_600_000),
    reconnectMaxMs: intOption(o, 'reconnectMaxMs', 1, 3_600_000),
    connectTimeoutMs: intOption(o, 'connectTimeoutMs', 1, 3_600_000),
    keepAliveMs: intOption(o, 'keepAliveMs', 1_000, 3_600_000),
    stallTimeoutMs: intOption(o, 'stallTimeoutMs', 1, 3_600_000),
  };
  if (settings.reconnectMaxMs < settings.reconnectBaseMs) {
    throw optionValueError('syslog.reconnectMaxMs', settings.reconnectMaxMs, `an integer of at least reconnectBaseMs (${settings.reconnectBaseMs})`);
  }
  return { address, settings };
}

function defaultOnError(err: Error): void {
  process.emitWarning(`${err.message} (log shipping to syslog continues when the collector is back; stdout is unaffected)`, {
    code: 'PERISCOPE_SYSLOG_UNAVAILABLE',
  });
}

/**
 * Validates the options, loads winston-syslog and starts connecting.
 * @throws at configuration time only: a bad option (`code: 'PERISCOPE_INVALID_OPTION'`) or
 *   winston-syslog not installed (`code: 'PERISCOPE_SYSLOG_DEPENDENCY_MISSING'`).
 */
export function createSyslogShipper(options: SyslogShipperOptions): SyslogShipper {
  const { address, settings } = validate(options);
  const library = loadSyslogLibrary();
  const appName = headerField(options.appName, 48);
  const message: MessageSettings = {
    producer: new library.Producer({ type: 'RFC5424', appName }),
    appName,
    hostname: headerField(options.hostname ?? osHostname(), 255),
    facility: settings.facility,
    maxMessageBytes: settings.maxMessageBytes,
    framing: address.protocol === 'udp' ? 'none' : 'octet-counting',
  };
  return new Shipper(address, settings, message, options).api();
}

class Shipper {
  readonly #queue: BoundedQueue<Buffer>;
  /** Messages written to the current link whose write has not completed, oldest first. */
  #inflight: Buffer[] = [];
  #link: Link | undefined;
  #ready = false;
  #blocked = false;
  #generation = 0;
  #attempt = 0;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #inOutage = false;
  #lastFailureAt = 0;
  #closed = false;
  #waiters: (() => void)[] = [];
  #dropped = 0;
  #sent = 0;
  #truncated = 0;
  readonly #address: SyslogAddress;
  readonly #settings: Settings;
  readonly #message: MessageSettings;
  readonly #options: SyslogShipperOptions;

  constructor(address: SyslogAddress, settings: Settings, message: MessageSettings, options: SyslogShipperOptions) {
    this.#address = address;
    this.#settings = settings;
    this.#message = message;
    this.#options = options;
    this.#queue = new BoundedQueue<Buffer>(settings.maxBufferedRecords);
    this.#connect();
  }

  api(): SyslogShipper {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    return Object.freeze({
      write: (line: string) => self.#write(line),
      flush: (timeoutMs?: number) => self.#flush(timeoutMs ?? 5_000),
      close: () => self.#close(),
      get dropped() { return self.#dropped; },
      get sent() { return self.#sent; },
      get truncated() { return self.#truncated; },
      get buffered() { return self.#queue.length + self.#inflight.length; },
      get connected() { return self.#ready; },
    });
  }

  #write(line: string): void {
    try {
      if (this.#closed) return this.#drop(1, 'closed');
      if (typeof line !== 'string' || line.length === 0) return;
      const encoded = encodeMessage(this.#message, line);
      if (!encoded) return this.#drop(1, 'oversized');
      if (encoded.truncated) this.#truncated++;
      const evicted = this.#queue.push(encoded.bytes);
      if (evicted) this.#drop(evicted, 'buffer_full');
      this.#pump();
    } catch (err) {
      this.#report(err);
      this.#drop(1, 'internal_error');
    }
  }

  /** Moves queued messages onto the link while it takes them. */
  #pump(): void {
    while (this.#link && this.#ready && !this.#blocked && this.#queue.length > 0) {
      const bytes = this.#queue.shift()!;
      const link = this.#link;
      const generation = this.#generation;
      this.#inflight.push(bytes);
      try {
        this.#blocked = !link.write(bytes, (err) => this.#written(generation, link, err ?? undefined));
      } catch (err) {
        // A socket closing under us; the link reports down and the message is retried.
        this.#blocked = true;
        this.#report(err);
      }
    }
    this.#settle();
  }

  #written(generation: number, link: Link, err: Error | undefined): void {
    if (generation !== this.#generation) return; // a link already replaced; its messages were requeued
    if (err && link.kind === 'stream') return; // stays in flight: the link is going down and #lost requeues it
    this.#inflight.shift();
    if (!err) {
      this.#sent++;
    } else {
      this.#drop(1, 'send_failed');
      this.#outage(err);
    }
    this.#settle();
  }

  #connect(): void {
    this.#reconnectTimer = undefined;
    if (this.#closed) return;
    const generation = ++this.#generation;
    const events = {
      ready: () => {
        if (generation !== this.#generation) return;
        this.#ready = true;
        this.#blocked = false;
        this.#attempt = 0;
        // A stream connected is a collector reached; a UDP socket proves nothing (see #outage).
        if (this.#link?.kind === 'stream') this.#inOutage = false;
        this.#pump();
      },
      drain: () => {
        if (generation !== this.#generation) return;
        this.#blocked = false;
        this.#pump();
      },
      down: (err: Error) => {
        if (generation === this.#generation) this.#lost(err);
      },
    };
    try {
      this.#link =
        this.#address.protocol === 'udp'
          ? openDatagram(this.#address, events)
          : openStream(this.#address, this.#settings, this.#options.tls, events);
    } catch (err) {
      this.#lost(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /** The link failed: retry its unfinished messages on the next one, after a backoff. */
  #lost(err: Error): void {
    this.#generation++;
    this.#link?.destroy();
    this.#link = undefined;
    this.#ready = false;
    this.#blocked = false;
    const unfinished = this.#inflight;
    this.#inflight = [];
    const discarded = this.#queue.requeue(unfinished);
    if (discarded) this.#drop(discarded, 'buffer_full');
    this.#outage(err);
    if (this.#closed) return this.#settle();
    const ceiling = Math.min(this.#settings.reconnectMaxMs, this.#settings.reconnectBaseMs * 2 ** Math.min(this.#attempt, 30));
    this.#attempt++;
    // Half fixed, half random: reconnections of many replicas do not arrive in step.
    const delay = Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
    this.#reconnectTimer = setTimeout(() => this.#connect(), delay);
    this.#reconnectTimer.unref();
  }

  /** Reports `err` if it starts an outage; later failures of the same outage are only counted. */
  #outage(err: Error): void {
    const now = Date.now();
    const quiet = now - this.#lastFailureAt > OUTAGE_QUIET_MS;
    this.#lastFailureAt = now;
    if (this.#inOutage && !quiet) return;
    this.#inOutage = true;
    this.#report(err);
  }

  #report(err: unknown): void {
    const error = err instanceof Error ? err : new Error(String(err));
    try {
      (this.#options.onError ?? defaultOnError)(error);
    } catch {
      // a reporting hook that throws must not reach the service
    }
  }

  #drop(n: number, reason: SyslogDropReason): void {
    this.#dropped += n;
    try {
      this.#options.onDrop?.(n, reason);
    } catch {
      // a counting hook that throws must not reach the service
    }
  }

  /** Wakes `flush()` callers once nothing is left to send. */
  #settle(): void {
    if (this.#queue.length > 0 || this.#inflight.length > 0 || this.#waiters.length === 0) return;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  #flush(timeoutMs: number): Promise<void> {
    if (this.#queue.length === 0 && this.#inflight.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      timer.unref();
      const waiters = this.#waiters;
      function done(): void {
        clearTimeout(timer);
        const i = waiters.indexOf(done);
        if (i >= 0) waiters.splice(i, 1);
        resolve();
      }
      waiters.push(done);
    });
  }

  async #close(): Promise<void> {
    if (this.#closed) return;
    if (this.#ready) await this.#flush(2_000);
    this.#closed = true;
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    this.#generation++;
    this.#link?.destroy();
    this.#link = undefined;
    this.#ready = false;
    const left = this.#queue.clear() + this.#inflight.length;
    this.#inflight = [];
    if (left) this.#drop(left, 'closed');
    this.#settle();
  }
}
