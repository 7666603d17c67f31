/**
 * Settings of the alert rules that code shares: the generator writes them into rules, the lint
 * and the tests check the hand-written rules against them. Change a value here, regenerate
 * (`npm run alerts:generate`) and update the hand-written rules that the lint then points at.
 */

import { SERVICE_NAMES } from '../demo-services/shared/src/topology.ts';

/** Where runbook links point: the runbooks folder of the repository, as a browser opens it. */
export const RUNBOOK_BASE_URL = 'https://github.com/periscope-dev/periscope/blob/main/alerts/runbooks/';

/** The severities an alert may carry, and what each asks of a human. */
export const SEVERITIES = Object.freeze({
  critical: 'page now: users are affected or soon will be',
  warning: 'fix in working hours: a cause that will hurt if left alone',
  info: 'context only: shown next to other alerts, never sent to a pager',
} as const);

export type Severity = keyof typeof SEVERITIES;

/** Scrape job names, one per service or component; an alert's `job` label is one of these. */
export const JOBS = Object.freeze({
  /** The demo's services, from its topology. */
  services: SERVICE_NAMES,
  node: 'node',
  prometheus: 'prometheus',
  alertmanager: 'alertmanager',
} as const);

/** The alert that says a scrape target is down; it inhibits its job's other alerts. */
export const TARGET_DOWN_ALERT = 'TargetDown';
