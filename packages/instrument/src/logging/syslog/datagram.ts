/**
 * The UDP link (RFC 5426): one message per datagram, over a connected socket so the kernel
 * reports "port unreachable" from a collector that is down as a send error instead of dropping
 * silently. Messages are never split across datagrams: the shipper sizes them to fit one.
 */
import { createSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { Link, LinkEvents } from './link.js';
import type { SyslogAddress } from './url.js';

/** Datagrams handed to the kernel and not yet confirmed; beyond it, writes wait (back-pressure). */
const MAX_PENDING_SENDS = 64;

/** Opens a UDP socket connected to the collector. */
export function openDatagram(address: SyslogAddress, events: LinkEvents): Link {
  const socket = createSocket(isIPv6(address.host) ? 'udp6' : 'udp4');
  let isDown = false;
  let pending = 0;
  let waiting = false;

  const down = (err: Error): void => {
    if (isDown) return;
    isDown = true;
    try {
      socket.close();
    } catch {
      // already closed
    }
    events.down(err, false);
  };
  socket.on('error', down);
  socket.connect(address.port, address.host, () => events.ready());
  socket.unref();

  return {
    kind: 'datagram',
    write(frame, done) {
      pending++;
      socket.send(frame, (err) => {
        pending--;
        done(err);
        if (waiting && pending < MAX_PENDING_SENDS / 2 && !isDown) {
          waiting = false;
          events.drain();
        }
      });
      if (pending >= MAX_PENDING_SENDS) waiting = true;
      return !waiting;
    },
    destroy() {
      isDown = true;
      try {
        socket.close();
      } catch {
        // already closed
      }
    },
  };
}
