/**
 * One Alertmanager notification as the receiver keeps it, which of its alerts it is about, and the
 * line the demo prints for it.
 *
 * A notification carries every alert its group holds, and a group can hold resolved alerts of an
 * earlier incident: Prometheus re-sends a resolved alert for 15 minutes after it resolved, and
 * Alertmanager puts each one it receives back into its group, so the next notification of that
 * group lists it again. The receiver therefore names and counts only the alerts of the incident
 * under way ({@link currentAlerts}), not every alert in the payload.
 */

/** One alert inside a notification (Alertmanager webhook payload, version 4). */
export interface ReceivedAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
}

/** One notification as received. */
export interface Notification {
  receivedAt: Date;
  /** The webhook path it arrived on, e.g. `/paging`. */
  path: string;
  receiver: string;
  /** `firing` while any alert of the group fires; `resolved` once every one has resolved. */
  status: 'firing' | 'resolved';
  /** Identifies the group: every notification of one group (one page) carries the same key. */
  groupKey: string;
  groupLabels: Record<string, string>;
  alerts: ReceivedAlert[];
}

type Payload = Partial<{ receiver: unknown; status: unknown; groupKey: unknown; groupLabels: unknown; alerts: unknown }>;

const isStringRecord = (value: unknown): value is Record<string, string> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');

/** Reads one alert of a payload; throws `Error` naming what is wrong. */
function toAlert(value: unknown, index: number): ReceivedAlert {
  const alert = value as Partial<Record<keyof ReceivedAlert, unknown>> | null;
  if (!alert || (alert.status !== 'firing' && alert.status !== 'resolved') || !isStringRecord(alert.labels)) {
    throw new Error(`not an Alertmanager webhook payload (alert ${index} has no status or labels)`);
  }
  return {
    status: alert.status,
    labels: alert.labels,
    annotations: isStringRecord(alert.annotations) ? alert.annotations : {},
    startsAt: typeof alert.startsAt === 'string' ? alert.startsAt : '',
    endsAt: typeof alert.endsAt === 'string' ? alert.endsAt : '',
  };
}

/** Reads an Alertmanager webhook payload; throws `Error` when it is not one. */
export function toNotification(path: string, payload: unknown, receivedAt: Date = new Date()): Notification {
  const body = payload as Payload | null;
  if (!body || !Array.isArray(body.alerts) || (body.status !== 'firing' && body.status !== 'resolved')) {
    throw new Error('not an Alertmanager webhook payload (expected status and alerts)');
  }
  return {
    receivedAt,
    path,
    receiver: typeof body.receiver === 'string' ? body.receiver : '',
    status: body.status,
    groupKey: typeof body.groupKey === 'string' ? body.groupKey : '',
    groupLabels: isStringRecord(body.groupLabels) ? body.groupLabels : {},
    alerts: body.alerts.map(toAlert),
  };
}

const time = (iso: string): number => {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? 0 : ms;
};

/**
 * The alerts the notification is about: the incident under way in its group. Alerts whose active
 * times ([startsAt, endsAt], open-ended while firing) overlap belong to one incident; the latest
 * incident is the one that fires, or for a resolved notification the one that resolved last. A
 * resolved alert that ended before that incident began belongs to an earlier one and is left out.
 */
export function currentAlerts(n: Notification): ReceivedAlert[] {
  const end = (a: ReceivedAlert): number => (a.status === 'firing' ? Infinity : time(a.endsAt));
  const byStart = [...n.alerts].sort((a, b) => time(a.startsAt) - time(b.startsAt));
  let incident: ReceivedAlert[] = [];
  let incidentEnd = -Infinity;
  for (const alert of byStart) {
    if (incident.length > 0 && time(alert.startsAt) > incidentEnd) incident = [];
    incident.push(alert);
    incidentEnd = Math.max(incidentEnd, end(alert));
  }
  return incident;
}

/** The alert a notification names: a firing one while the group fires, else the first of its incident. */
export function leadAlert(n: Notification): ReceivedAlert | undefined {
  const current = currentAlerts(n);
  return current.find((a) => a.status === n.status) ?? current[0];
}

/** Label keys printed after the alert's name, in this order, when the alert has them. */
const CONTEXT_LABELS = ['service', 'job', 'team', 'severity', 'resource', 'http_route', 'instance'];

/** `key=value` pairs of the labels that say where an alert is (`job` only when it is not the `service`). */
export function alertContext(labels: Record<string, string>): string {
  return CONTEXT_LABELS.filter((key) => labels[key] !== undefined && labels[key] !== '' && !(key === 'job' && labels.job === labels.service))
    .map((key) => `${key}=${labels[key]}`)
    .join(' ');
}

/** `(2 firing, 1 resolved)` / `(2 alerts)`, counted over the incident only; empty for a single alert. */
export function incidentCount(n: Notification): string {
  const current = currentAlerts(n);
  const resolved = current.filter((a) => a.status === 'resolved').length;
  if (n.status === 'firing' && resolved > 0) return `(${current.length - resolved} firing, ${resolved} resolved)`;
  return current.length > 1 ? `(${current.length} alerts)` : '';
}

/** Strips control characters (a terminal escape in a label must not reach the terminal). */
const printable = (text: string): string => text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');

/**
 * One line per notification, e.g.
 * `[alert] 12:01:07 FIRING   AvailabilityErrorBudgetBurn service=users severity=critical → paging: A service is … runbook: http://…/runbooks/slo.md#availabilityerrorbudgetburn`
 * It names the alert and counts the alerts of the incident under way (see {@link currentAlerts}):
 * a firing one while the group fires, and for a group that still fires but has resolved some of
 * its alerts, how many of each (`(1 firing, 1 resolved)`).
 */
export function formatNotification(n: Notification): string {
  const lead = leadAlert(n);
  const labels = lead?.labels ?? n.groupLabels;
  const name = labels.alertname ?? 'alert';
  const context = alertContext(labels);
  const count = incidentCount(n);
  const summary = lead?.annotations.summary ? `: ${lead.annotations.summary}` : '';
  const runbook = lead?.annotations.runbook_url ? ` runbook: ${lead.annotations.runbook_url}` : '';
  const clock = n.receivedAt.toTimeString().slice(0, 8);
  const head = [name, context, count].filter((part) => part !== '').join(' ');
  return printable(`[alert] ${clock} ${n.status.toUpperCase().padEnd(8)} ${head} → ${n.receiver || n.path}${summary}${runbook}`);
}
