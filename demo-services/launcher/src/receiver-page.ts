/**
 * The receiver's home page: the notifications it received, newest first, each with its status,
 * the alerts of the incident it is about (name, service, summary, description, runbook link) and
 * how many alerts of an earlier incident the group still listed. Everything that came in a
 * webhook is escaped, and only http(s) URLs become links.
 */
import { escapeHtml, htmlPage, httpUrl } from './receiver-html.ts';
import { alertContext, currentAlerts, incidentCount } from './receiver-notification.ts';
import type { Notification, ReceivedAlert } from './receiver-notification.ts';

/** How many notifications the page shows. */
export const PAGE_SIZE = 200;

/** The page reloads itself this often, so an open tab shows a new page without a click. */
const REFRESH_SECONDS = 10;

function alertHtml(alert: ReceivedAlert): string {
  const { labels, annotations } = alert;
  const runbook = httpUrl(annotations.runbook_url);
  const parts = [
    `<div class="alert"><span class="${alert.status}">${escapeHtml(alert.status)}</span> `,
    `<strong>${escapeHtml(labels.alertname ?? 'alert')}</strong> <span class="meta">${escapeHtml(alertContext(labels))}</span>`,
    annotations.summary ? `<br>${escapeHtml(annotations.summary)}` : '',
    annotations.description ? `<br><span class="meta">${escapeHtml(annotations.description)}</span>` : '',
    runbook ? `<br><a href="${escapeHtml(runbook)}">runbook</a>` : '',
    '</div>',
  ];
  return parts.join('');
}

function notificationHtml(n: Notification): string {
  const current = currentAlerts(n);
  const earlier = n.alerts.length - current.length;
  const names = [...new Set(current.map((a) => a.labels.alertname ?? 'alert'))].join(', ');
  const service = n.groupLabels.service ?? current.find((a) => a.labels.service)?.labels.service;
  const count = incidentCount(n);
  return [
    '<section class="notification">',
    `<h3><span class="${n.status}">${escapeHtml(n.status.toUpperCase())}</span> ${escapeHtml(names)}${service ? ` · service ${escapeHtml(service)}` : ''}</h3>`,
    `<div class="meta">${escapeHtml(n.receivedAt.toISOString())} · ${escapeHtml(n.receiver || n.path)}${count ? ` · ${escapeHtml(count)}` : ''}${
      earlier > 0 ? ` · ${earlier} resolved alert${earlier === 1 ? '' : 's'} of an earlier incident not shown` : ''
    }</div>`,
    ...current.map(alertHtml),
    '</section>',
  ].join('\n');
}

/** The page for `notifications` (oldest first, as the receiver keeps them). */
export function notificationsPage(notifications: readonly Notification[]): string {
  const newest = notifications.slice(-PAGE_SIZE).reverse();
  const body = [
    '<h1>Alert notifications</h1>',
    `<p class="meta">What Alertmanager delivered to this receiver, newest first (this page reloads every ${REFRESH_SECONDS} s). Webhooks: POST to <code>/paging</code> and <code>/team</code>.</p>`,
    newest.length > 0 ? newest.map(notificationHtml).join('\n') : '<p class="empty">No notifications yet.</p>',
  ];
  return htmlPage('Alert notifications', body.join('\n'), REFRESH_SECONDS);
}
