/**
 * Settings of the alert rules that code shares, from the stack's settings (@periscope/stack).
 */
import { SERVICE_NAMES } from '../demo-services/shared/src/topology.ts';
import { COMPONENT_JOBS } from '@periscope/stack';

export { RUNBOOK_BASE_URL, SEVERITIES, TARGET_DOWN_ALERT } from '@periscope/stack';
export type { Severity } from '@periscope/stack';

/** Scrape job names, one per service or component; an alert's `job` label is one of these. */
export const JOBS = Object.freeze({
  /** The demo's services, from its topology. */
  services: SERVICE_NAMES,
  ...COMPONENT_JOBS,
} as const);
