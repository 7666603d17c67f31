import { describe, expect, it } from 'vitest';
import { currentAlerts, formatNotification, toNotification } from '../src/receiver-notification.ts';

const RUNBOOK = 'http://127.0.0.1:9099/runbooks/slo.md';

/** An alert of users; `from`/`to` are minutes past 14:00 (`to` undefined: still firing). */
const alert = (alertname: string, from: number, to?: number, labels: Record<string, string> = {}) => ({
  status: to === undefined ? ('firing' as const) : ('resolved' as const),
  labels: { alertname, service: 'users', job: 'users', severity: 'critical', ...labels },
  annotations: { summary: `${alertname} summary.`, runbook_url: `${RUNBOOK}#${alertname.toLowerCase()}` },
  startsAt: `2026-01-01T14:${String(from).padStart(2, '0')}:00Z`,
  endsAt: to === undefined ? '0001-01-01T00:00:00Z' : `2026-01-01T14:${String(to).padStart(2, '0')}:00Z`,
});
const latency = (from: number, to: number | undefined, long: string) => alert('LatencyErrorBudgetBurn', from, to, { sli: 'latency', long, short: '5m' });
const availability = (from: number, to: number | undefined, long: string) => alert('AvailabilityErrorBudgetBurn', from, to, { sli: 'availability', long, short: '5m' });
const page = (status: 'firing' | 'resolved', alerts: ReturnType<typeof alert>[]) =>
  toNotification('/paging', { receiver: 'paging', status, groupKey: 'k', groupLabels: { service: 'users' }, alerts });

describe('alert receiver lines', () => {
  it('names a firing alert of a group that still fires, and counts the ones of its incident already resolved', () => {
    const n = page('firing', [latency(30, 40, '1h'), latency(31, undefined, '6h')]);
    expect(formatNotification(n)).toMatch(/ FIRING +LatencyErrorBudgetBurn service=users severity=critical \(1 firing, 1 resolved\) → paging: LatencyErrorBudgetBurn summary\./);
    expect(n.groupKey).toBe('k');
  });

  it('says RESOLVED and names what resolved, not a resolved alert of an earlier incident that the group still lists', () => {
    // What the receiver printed before: "RESOLVED AvailabilityErrorBudgetBurn … (4 alerts)" for a latency fault,
    // because Prometheus re-sends the earlier incident's resolved alerts and Alertmanager lists them again.
    const n = page('resolved', [availability(2, 10, '1h'), availability(3, 10, '6h'), latency(30, 41, '1h'), latency(31, 41, '6h')]);
    const line = formatNotification(n);
    expect(line).toMatch(/ RESOLVED LatencyErrorBudgetBurn service=users severity=critical \(2 alerts\) → paging: LatencyErrorBudgetBurn summary\./);
    expect(line).not.toContain('Availability');
  });

  it('counts only the incident under way on a firing notification', () => {
    const n = page('firing', [availability(2, 10, '1h'), availability(3, 10, '6h'), latency(30, undefined, '1h')]);
    const line = formatNotification(n);
    expect(line).toMatch(/ FIRING +LatencyErrorBudgetBurn service=users severity=critical → paging:/);
    expect(line).not.toMatch(/firing,|resolved\)|alerts\)/);
    expect(currentAlerts(n).map((a) => a.labels.long)).toEqual(['1h']);
  });

  it('ends the line with the alert’s runbook link', () => {
    const line = formatNotification(page('firing', [latency(30, undefined, '1h')]));
    expect(line).toMatch(/: LatencyErrorBudgetBurn summary\. runbook: http:\/\/127\.0\.0\.1:9099\/runbooks\/slo\.md#latencyerrorbudgetburn$/);
  });

  it('keeps alerts that overlap in one incident, however they chain', () => {
    // 1h fires 14:30–14:36, 6h 14:35–, a third 14:50– while 6h still fires: one incident.
    const n = page('firing', [latency(30, 36, '1h'), latency(35, undefined, '6h'), availability(50, undefined, '1h')]);
    expect(currentAlerts(n)).toHaveLength(3);
  });

  it('prints no terminal control characters that came in a label', () => {
    const n = page('firing', [alert('Evil\u001b[2J', 30, undefined, { service: 'users\r\nFIRING fake' })]);
    expect(formatNotification(n)).not.toMatch(/[\u0000-\u001f]/);
  });

  it('rejects a payload that is not an Alertmanager webhook', () => {
    expect(() => toNotification('/paging', { status: 'firing' })).toThrow('not an Alertmanager webhook payload (expected status and alerts)');
    expect(() => toNotification('/paging', { status: 'firing', alerts: [{ labels: {} }] })).toThrow('not an Alertmanager webhook payload (alert 0 has no status or labels)');
  });
});
