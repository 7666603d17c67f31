/**
 * The Alertmanager configuration the demo runs: `deploy/alertmanager/alertmanager.yml` (or a
 * built-in equivalent) with every webhook that points at the local receiver moved to the
 * receiver's actual port, and optional shorter timings for tests.
 */
import { parse } from 'yaml';

/** Grouping timings a caller may override on every route (Alertmanager duration strings). */
export interface AlertmanagerTiming {
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
}

/** Inputs of {@link deriveAlertmanagerConfig}. */
export interface AlertmanagerConfigInput {
  /** YAML text of the source config, or `undefined` for the built-in one. */
  sourceText?: string;
  /** Base URL of the running receiver, e.g. `http://127.0.0.1:40123`. */
  receiverUrl: string;
  timing?: AlertmanagerTiming;
}

/**
 * The config used when deploy/alertmanager/alertmanager.yml does not exist: its grouping and its
 * inhibition of the slow burn-rate page by the fast one, without its timings and comments.
 */
export const BUILT_IN_ALERTMANAGER_CONFIG = `
route:
  receiver: team
  group_by: [alertname, service, job, team]
  routes:
    - { receiver: paging, matchers: ['severity="critical"'], group_by: [service, job, team], group_wait: 10s, group_interval: 30s }
    - { receiver: team, matchers: ['severity=~"warning|info"'] }
receivers:
  - { name: paging, webhook_configs: [{ url: 'http://127.0.0.1:9099/paging', send_resolved: true }] }
  - { name: team, webhook_configs: [{ url: 'http://127.0.0.1:9099/team', send_resolved: true }] }
inhibit_rules:
  - source_matchers: ['severity="critical"', 'long="1h"', 'short="5m"']
    target_matchers: ['severity="critical"', 'long="6h"', 'short="5m"']
    equal: [alertname, job, sli]
  - { source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: [alertname, job, sli] }
  - { source_matchers: ['alertname="TargetDown"'], target_matchers: ['alertname!="TargetDown"'], equal: [job] }
`;

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

interface Route {
  routes?: Route[];
  [key: string]: unknown;
}

/** Builds the config Alertmanager runs with. Throws `Error` when the source is not an Alertmanager config. */
export function deriveAlertmanagerConfig(input: AlertmanagerConfigInput): Record<string, unknown> {
  const config = parse(input.sourceText ?? BUILT_IN_ALERTMANAGER_CONFIG) as Record<string, unknown> | null;
  if (!config || typeof config !== 'object' || !config.route) throw new Error('the Alertmanager config has no route');
  const receiver = new URL(input.receiverUrl);
  for (const entry of (config.receivers as Array<{ webhook_configs?: Array<{ url?: string }> }> | undefined) ?? []) {
    for (const webhook of entry.webhook_configs ?? []) {
      if (!webhook.url) continue;
      const url = new URL(webhook.url);
      if (!LOCAL_HOSTS.has(url.hostname)) continue;
      url.host = receiver.host;
      url.protocol = receiver.protocol;
      webhook.url = url.toString();
    }
  }
  if (input.timing) applyTiming(config.route as Route, input.timing, true);
  return config;
}

/** Sets the timings on the root route and on every child route that sets its own. */
function applyTiming(route: Route, timing: AlertmanagerTiming, root: boolean): void {
  for (const [key, value] of Object.entries(timing)) {
    if (value !== undefined && (root || key in route)) route[key] = value;
  }
  for (const child of route.routes ?? []) applyTiming(child, timing, false);
}
