import { describe, expect, it } from 'vitest';
import { formatNotification, toNotification } from '../src/receiver.ts';

const alert = (alertname: string, status: 'firing' | 'resolved') => ({
  status,
  labels: { alertname, service: 'users', severity: 'critical' },
  annotations: { summary: `${alertname} summary.` },
  startsAt: '2026-01-01T00:00:00Z',
  endsAt: '2026-01-01T00:05:00Z',
});

describe('alert receiver lines', () => {
  it('names a firing alert of a group that still fires, and counts the ones already resolved', () => {
    const n = toNotification('/paging', { receiver: 'paging', status: 'firing', groupKey: 'k', alerts: [alert('A', 'resolved'), alert('B', 'firing')] });
    const line = formatNotification(n);
    expect(line).toMatch(/ FIRING +B service=users severity=critical \(1 firing, 1 resolved\) → paging: B summary\.$/);
    expect(n.groupKey).toBe('k');
  });

  it('says RESOLVED once every alert of the group has resolved', () => {
    const n = toNotification('/paging', { receiver: 'paging', status: 'resolved', alerts: [alert('A', 'resolved'), alert('B', 'resolved')] });
    expect(formatNotification(n)).toMatch(/ RESOLVED A service=users severity=critical \(2 alerts\) → paging/);
  });
});
