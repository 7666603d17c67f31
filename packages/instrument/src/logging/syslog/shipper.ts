/**
 * Ships JSON log lines to a syslog collector, RFC 5424 over TCP, TLS or UDP.
 *
 * winston-syslog's transport, used through its documented options, cannot hold the service's
 * guarantees, so this module owns the network layer (test/syslog-winston.test.ts shows each
 * point against a real collector):
 *
 * - TLS: it has no option for a CA, a client certificate or a server name (`protocolOptions`
 *   go to the TCP connect), and it does not verify the collector at all: with
 *   `rejectUnauthorized: true` it sends to a collector whose certificate nothing trusts;
 * - memory: while the collector is down it queues every record, without a bound or an option
 *   for one, and sends them all when it comes back;
 * - errors: connection errors are swallowed (no `error` event while the collector is down), so
 *   nothing can be reported or counted as dropped;
 * - framing: over TCP it writes messages back to back without RFC 6587 framing (no length
 *   prefix, no newline unless `eol` is set), so a collector cannot tell them apart;
 * - it reconnects the same socket on a fixed 2^n-second schedule, with no connect or stall
 *   timeout, and splits oversized UDP payloads into datagrams that are not syslog messages.
 *
 * Here instead:
 * - a queue bounded by records and bytes (`syslog.queue`); when full the oldest record is
 *   dropped and counted;
 * - one socket at a time, replaced after a failure with capped, jittered exponential backoff;
 * - TCP keepalive, a connect timeout and a stall timeout, so a dead or stuck collector is noticed;
 * - TLS through `tls.connect` with the CA, client certificate and server name given, verifying
 *   the collector by default; a collector that fails the handshake is sent nothing, and what was
 *   waiting for it is dropped and counted (`tls_rejected`);
 * - messages sized to `maxMessageBytes` (and one UDP datagram) as valid, shrunk JSON, never split;
 * - `write()` never throws and never blocks; a failure is reported once per outage and counted.
 */
import { optionTypeError } from '../../core/errors.js';
import { Backoff } from './backoff.js';
import { openDatagram } from './datagram.js';
import { FIELD_MAX, headerField } from './header.js';
import { openStream } from './link.js';
import type { Link, LinkEvents } from './link.js';
import { encodeMessage } from './message.js';
import type { EncodedMessage, MessageSettings } from './message.js';
import { resolveSyslogOptions } from './options.js';
import type { SyslogConfig } from './options.js';
import { HEALTHY_AFTER_MS, Outages } from './outage.js';
import { BoundedQueue } from './queue.js';
import type { SyslogDropReason, SyslogHooks, SyslogShipper, SyslogShipperOptions } from './shipper-types.js';
import { RecentWrites } from './recent-writes.js';
import { FlushWaiters } from './waiters.js';

/**
 * Validates the options (as the `syslog` option's object form) and starts connecting.
 * @throws at configuration time only: a bad option (`code: 'PERISCOPE_INVALID_OPTION'`).
 */
export function createSyslogShipper(options: SyslogShipperOptions): SyslogShipper {
  if (typeof options !== 'object' || options === null) throw optionTypeError('syslog', options, 'an object');
  const { onDrop, onError, appName, url, ...syslog } = options;
  if (syslog.target === undefined && url !== undefined) syslog.target = url;
  for (const [name, hook] of [['onDrop', onDrop], ['onError', onError]] as const) {
    if (hook !== undefined && typeof hook !== 'function') throw optionTypeError(`syslog.${name}`, hook, 'a function');
  }
  if (typeof appName !== 'string' || appName.trim() === '') throw optionTypeError('syslog.appName', appName, 'a non-empty string');
  const config = resolveSyslogOptions({ appName, ...syslog }, appName, {})!;
  return startSyslogShipper(config, { onDrop, onError });
}

/** Starts shipping with an already resolved configuration (what `instrument()` does). */
export function startSyslogShipper(config: SyslogConfig, hooks: SyslogHooks = {}): SyslogShipper {
  const message: MessageSettings = {
    appName: headerField(config.appName, FIELD_MAX.appName),
    hostname: headerField(config.hostname, FIELD_MAX.hostname),
    procId: String(process.pid),
    facility: config.facility,
    maxMessageBytes: config.maxMessageBytes,
    framing: config.address.protocol === 'udp' ? 'none' : 'octet-counting',
  };
  return new Shipper(config, message, hooks).api();
}

class Shipper {
  readonly #queue: BoundedQueue<EncodedMessage>;
  /** Messages written to the current link whose write has not completed, oldest first. */
  #inflight: EncodedMessage[] = [];
  /** When the writes to the current stream link completed, for the last {@link HEALTHY_AFTER_MS}. */
  readonly #unconfirmed = new RecentWrites(HEALTHY_AFTER_MS);
  #link: Link | undefined;
  #ready = false;
  #blocked = false;
  #generation = 0;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #healthyTimer: NodeJS.Timeout | undefined;
  #closed = false;
  #dropped = 0;
  #sent = 0;
  #truncated = 0;
  readonly #config: SyslogConfig;
  readonly #message: MessageSettings;
  readonly #outages: Outages;
  readonly #backoff: Backoff;
  readonly #waiters = new FlushWaiters();

  constructor(config: SyslogConfig, message: MessageSettings, hooks: SyslogHooks) {
    this.#config = config;
    this.#message = message;
    this.#outages = new Outages(hooks);
    this.#backoff = new Backoff(config.reconnect.baseDelayMs, config.reconnect.maxDelayMs);
    this.#queue = new BoundedQueue<EncodedMessage>(config.queue.maxRecords, config.queue.maxBytes);
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
      const evicted = this.#queue.push(encoded);
      if (evicted) this.#drop(evicted, 'buffer_full');
      this.#pump();
    } catch (err) {
      this.#outages.report(err);
      this.#drop(1, 'internal_error');
    }
  }

  /** Moves queued messages onto the link while it takes them. */
  #pump(): void {
    while (this.#link && this.#ready && !this.#blocked && this.#queue.length > 0) {
      const message = this.#queue.shift()!;
      const link = this.#link;
      const generation = this.#generation;
      this.#inflight.push(message);
      try {
        this.#blocked = !link.write(message.frame, (err) => this.#written(generation, link, err ?? undefined));
      } catch (err) {
        // A socket closing under us; the link reports down and the message is retried.
        this.#blocked = true;
        this.#outages.report(err);
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
      if (link.kind === 'stream') this.#unconfirmed.add(Date.now());
    } else {
      this.#drop(1, 'send_failed');
      this.#outages.failed(err);
    }
    this.#settle();
  }

  #connect(): void {
    this.#reconnectTimer = undefined;
    if (this.#closed) return;
    const generation = ++this.#generation;
    const events: LinkEvents = {
      ready: () => {
        if (generation !== this.#generation) return;
        this.#ready = true;
        this.#blocked = false;
        this.#backoff.reset();
        // A stream that stays up is a collector reached; a UDP socket proves nothing (see Outages).
        if (this.#link?.kind === 'stream') {
          this.#healthyTimer = setTimeout(() => generation === this.#generation && this.#outages.recovered(), HEALTHY_AFTER_MS);
          this.#healthyTimer.unref();
        }
        this.#pump();
      },
      drain: () => {
        if (generation !== this.#generation) return;
        this.#blocked = false;
        this.#pump();
      },
      down: (err, rejected) => {
        if (generation === this.#generation) this.#lost(err, rejected);
      },
    };
    try {
      const { address } = this.#config;
      this.#link = address.protocol === 'udp' ? openDatagram(address, events) : openStream(address, this.#config, this.#config.tls, events);
    } catch (err) {
      this.#lost(err instanceof Error ? err : new Error(String(err)), false);
    }
  }

  /**
   * The link failed: retry its unfinished messages on the next one, after a backoff. When the
   * collector failed the TLS handshake, nothing may be sent to it: what waited is dropped.
   */
  #lost(err: Error, rejected: boolean): void {
    this.#generation++;
    clearTimeout(this.#healthyTimer);
    this.#link?.destroy();
    this.#link = undefined;
    this.#ready = false;
    this.#blocked = false;
    const unfinished = this.#inflight;
    this.#inflight = [];
    // TCP acknowledges nothing a collector reads: what the kernel took in the last moment before
    // the connection broke may never have been read. Counted, so no loss goes unseen.
    const unconfirmed = this.#unconfirmed.takeSince(Date.now() - HEALTHY_AFTER_MS);
    if (unconfirmed) this.#drop(unconfirmed, 'unconfirmed');
    if (rejected) {
      const n = unfinished.length + this.#queue.clear();
      if (n) this.#drop(n, 'tls_rejected');
    } else {
      const discarded = this.#queue.requeue(unfinished);
      if (discarded) this.#drop(discarded, 'buffer_full');
    }
    this.#outages.failed(err);
    if (this.#closed) return this.#settle();
    this.#reconnectTimer = setTimeout(() => this.#connect(), this.#backoff.next());
    this.#reconnectTimer.unref();
    this.#settle();
  }

  #drop(n: number, reason: SyslogDropReason): void {
    this.#dropped += n;
    this.#outages.dropped(n, reason);
  }

  /** Wakes `flush()` callers once nothing is left to send. */
  #settle(): void {
    if (this.#queue.length === 0 && this.#inflight.length === 0 && this.#waiters.waiting) this.#waiters.wakeAll();
  }

  #flush(timeoutMs: number): Promise<void> {
    if (this.#queue.length === 0 && this.#inflight.length === 0) return Promise.resolve();
    return this.#waiters.wait(timeoutMs);
  }

  async #close(): Promise<void> {
    if (this.#closed) return;
    if (this.#ready) await this.#flush(2_000);
    this.#closed = true;
    clearTimeout(this.#reconnectTimer);
    clearTimeout(this.#healthyTimer);
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
