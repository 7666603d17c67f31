import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseFaultArgs } from '../src/fault-args.ts';
import { PortInUseError, reservePorts } from '../src/ports.ts';
import { formatNotification, startReceiver } from '../src/receiver.ts';
import type { Receiver } from '../src/receiver.ts';

describe('npm run fault arguments', () => {
  it('turn flags into a change for the named service', () => {
    expect(parseFaultArgs(['users', '--error-rate', '0.5', '--latency', '100ms-300ms'])).toEqual({
      service: 'users',
      clear: false,
      stateDir: undefined,
      change: { errorRate: 0.5, latency: { kind: 'uniform', minMs: 100, maxMs: 300 } },
    });
    expect(parseFaultArgs(['thoughts', '--clear', '--slow-pool', '500ms', '--block', '50ms']).change).toEqual({ slowPoolMs: 500, blockMs: 50 });
    expect(parseFaultArgs(['frontend', '--latency', 'off']).change).toEqual({ latency: null });
  });

  it('explain what is wrong', () => {
    expect(() => parseFaultArgs([])).toThrow('name the service to change');
    expect(() => parseFaultArgs(['billing'])).toThrow('unknown service "billing": expected users, thoughts, frontend');
    expect(() => parseFaultArgs(['users', '--error-rate', 'half'])).toThrow('--error-rate must be a number from 0 to 1, got "half"');
  });
});

describe('port reservation', () => {
  let holder: net.Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (holder ? holder.close(() => resolve()) : resolve())));

  it('reports a port in use with its name and the variable that changes it', async () => {
    holder = net.createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => holder!.once('listening', resolve));
    const taken = (holder.address() as net.AddressInfo).port;
    const attempt = reservePorts({ users: { label: 'users', port: taken, env: 'USERS_PORT' }, other: { label: 'x', port: 0, env: 'X' } });
    await expect(attempt).rejects.toBeInstanceOf(PortInUseError);
    await expect(attempt).rejects.toThrow(`port ${taken} (users) is already in use on 127.0.0.1: stop what holds it, or set USERS_PORT to another port`);
  });

  it('gives distinct free ports for 0', async () => {
    const ports = await reservePorts({ a: { label: 'a', port: 0, env: 'A' }, b: { label: 'b', port: 0, env: 'B' } });
    expect(ports.a).toBeGreaterThan(0);
    expect(ports.a).not.toBe(ports.b);
  });
});

describe('the alert receiver', () => {
  let receiver: Receiver | undefined;
  afterEach(async () => receiver?.close());

  const payload = (status: 'firing' | 'resolved') => ({
    version: '4',
    receiver: 'paging',
    status,
    groupLabels: { alertname: 'ServiceErrorRatioHigh', job: 'users' },
    alerts: [
      {
        status,
        labels: { alertname: 'ServiceErrorRatioHigh', job: 'users', severity: 'critical' },
        annotations: { summary: 'A service is answering more than 20% of its requests with server errors.' },
        startsAt: '2026-01-01T00:00:00Z',
        endsAt: '0001-01-01T00:00:00Z',
      },
    ],
  });

  it('prints one line per notification and keeps it', async () => {
    const lines: string[] = [];
    receiver = await startReceiver(0, (line) => lines.push(line));
    const post = (body: unknown) => fetch(`${receiver!.url}/paging`, { method: 'POST', body: JSON.stringify(body) });
    expect((await post(payload('firing'))).status).toBe(200);
    expect((await post(payload('resolved'))).status).toBe(200);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\[alert\] \d\d:\d\d:\d\d FIRING {3}ServiceErrorRatioHigh job=users severity=critical → paging: A service is answering/);
    expect(lines[1]).toContain('RESOLVED ServiceErrorRatioHigh');
    expect(receiver.notifications().map((n) => [n.path, n.status])).toEqual([
      ['/paging', 'firing'],
      ['/paging', 'resolved'],
    ]);
    expect((await post({ hello: 1 })).status).toBe(400);
  });

  it('lets a test wait for a notification that has not arrived yet', async () => {
    receiver = await startReceiver(0);
    const waiting = receiver.waitFor((n) => n.status === 'resolved', 5000);
    await fetch(`${receiver.url}/team`, { method: 'POST', body: JSON.stringify(payload('resolved')) });
    expect(formatNotification(await waiting)).toContain('RESOLVED');
    await expect(receiver.waitFor((n) => n.receiver === 'nobody', 50)).rejects.toThrow('no matching alert notification within 50 ms');
  });
});
