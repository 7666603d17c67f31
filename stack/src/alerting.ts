/**
 * Alerting conventions: severities, where runbook links point, the alert Alertmanager's
 * inhibition keys on, and the labels routing reads.
 */

/** The severities an alert may carry, and what each asks of a human. */
export const SEVERITIES = Object.freeze({
  critical: 'page now: users are affected or soon will be',
  warning: 'fix in working hours: a cause that will hurt if left alone',
  info: 'context only: shown next to other alerts, never sent to a pager',
} as const);

export type Severity = keyof typeof SEVERITIES;

/**
 * Where runbook links point by default: the runbooks folder of the repository, as a browser opens
 * it. A Prometheus that sets the external label {@link RUNBOOK_BASE_LABEL} (the demo points it at
 * the runbooks it serves itself) sends its alerts with links under that base instead.
 */
export const RUNBOOK_BASE_URL = 'https://github.com/periscope-dev/periscope/blob/main/alerts/runbooks/';

/** The Prometheus external label that, when set, replaces {@link RUNBOOK_BASE_URL} in runbook links. */
export const RUNBOOK_BASE_LABEL = 'periscope_runbook_base';

/** The alert that says a scrape target is down; it inhibits its job's other alerts. */
export const TARGET_DOWN_ALERT = 'TargetDown';

/** Labels every alert about a service carries, and that Alertmanager groups and routes by. */
export const ROUTING_LABEL = Object.freeze({
  /** The service at fault (the value of `job`). */
  service: 'service',
  /** The owning team, when the target carries one (see discovery.ts). */
  team: 'team',
});

/** Scrape jobs of the stack's own components (services get their job from discovery). */
export const COMPONENT_JOBS = Object.freeze({
  node: 'node',
  prometheus: 'prometheus',
  alertmanager: 'alertmanager',
} as const);
