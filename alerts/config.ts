/**
 * Settings of the alert rules that code shares, from the stack's settings (@periscope/stack).
 * No service is named here: a service's `job` comes from discovery (see @periscope/stack's
 * discovery.ts), so the rules and their checks work for any service that emits the contract.
 */
import { COMPONENT_JOBS } from '@periscope/stack';

export { RUNBOOK_BASE_URL, SEVERITIES, TARGET_DOWN_ALERT } from '@periscope/stack';
export type { Severity } from '@periscope/stack';

/** Scrape jobs of the stack's own components; an alert about one of them carries its `job`. */
export const JOBS = COMPONENT_JOBS;
