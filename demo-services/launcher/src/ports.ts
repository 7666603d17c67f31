/**
 * Port selection before anything starts: each requested port is checked by binding it on
 * 127.0.0.1 (so a port in use is reported with its name and variable up front), and port 0 is
 * turned into a free ephemeral port.
 */
import net from 'node:net';
import { LOOPBACK } from '../../shared/src/topology.ts';

/** One port to reserve. */
export interface PortRequest {
  /** What listens there, e.g. "users admin". */
  label: string;
  /** The port wanted; 0 = any free port. */
  port: number;
  /** The variable that changes it, named in the error. */
  env: string;
}

/** Thrown when wanted ports are taken; the message names each one, what it is for and its variable. */
export class PortInUseError extends Error {
  readonly conflicts: readonly PortRequest[];

  constructor(conflicts: readonly PortRequest[]) {
    super(
      conflicts
        .map((c) => `port ${c.port} (${c.label}) is already in use on ${LOOPBACK}: stop what holds it, or set ${c.env} to another port (0 = any free port)`)
        .join('\n'),
    );
    this.name = 'PortInUseError';
    this.conflicts = conflicts;
  }
}

/** Binds `port` on 127.0.0.1 and closes it again; resolves to the bound port, or `undefined` when taken. */
export async function probePort(port: number): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE' || err.code === 'EACCES') resolve(undefined);
      else reject(err);
    });
    server.listen({ port, host: LOOPBACK, exclusive: true }, () => {
      const bound = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(bound));
    });
  });
}

/**
 * Resolves every request to a concrete free port, in order. Ephemeral picks never repeat a port
 * already chosen. Throws {@link PortInUseError} listing every fixed port that is taken.
 */
export async function reservePorts<K extends string>(requests: Readonly<Record<K, PortRequest>>): Promise<Record<K, number>> {
  const chosen = {} as Record<K, number>;
  const taken = new Set<number>();
  const conflicts: PortRequest[] = [];
  for (const key of Object.keys(requests) as K[]) {
    const request = requests[key];
    if (request.port !== 0) {
      if (taken.has(request.port) || (await probePort(request.port)) === undefined) conflicts.push(request);
      chosen[key] = request.port;
      taken.add(request.port);
      continue;
    }
    for (let attempt = 0; attempt < 20; attempt++) {
      const port = await probePort(0);
      if (port !== undefined && !taken.has(port)) {
        chosen[key] = port;
        taken.add(port);
        break;
      }
    }
    if (chosen[key] === undefined) throw new Error(`no free port found for ${request.label}`);
  }
  if (conflicts.length > 0) throw new PortInUseError(conflicts);
  return chosen;
}
