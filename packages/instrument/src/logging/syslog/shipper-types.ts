/** The shipper's surface: what it reports, and what a running one offers. */
import type { SyslogOptions } from '../../types.js';

/**
 * Why records were dropped, as passed to `onDrop` and as the `reason` label of
 * `periscope_syslog_dropped_total`: the buffer was full, a record could not be made to fit,
 * a UDP send failed, the collector failed the TLS handshake (nothing is sent to a collector that
 * is not trusted), the shipper was closed, or a bug was caught — or `unconfirmed`: written to a
 * TCP/TLS connection that broke within a second, so the collector may not have read them (TCP
 * syslog has no acknowledgement; some of these may have arrived).
 */
export type SyslogDropReason = 'buffer_full' | 'oversized' | 'send_failed' | 'tls_rejected' | 'unconfirmed' | 'closed' | 'internal_error';

/** Where the shipper reports; `instrument()` wires them to the drop metric and its report. */
export interface SyslogHooks {
  /** Called when records are dropped, with how many and why. */
  onDrop?: (n: number, reason: SyslogDropReason) => void;
  /** Called once per outage (the first failure after a healthy period). Default: a process warning. */
  onError?: (err: Error) => void;
}

/** Options of `createSyslogShipper`: the `syslog` option's object form, an APP-NAME, and the hooks. */
export interface SyslogShipperOptions extends SyslogOptions, SyslogHooks {
  /** RFC 5424 APP-NAME: the service name. */
  appName: string;
  /** @deprecated The same as `target` (the name before the `syslog` option took an object). */
  url?: string;
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
