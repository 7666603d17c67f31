/**
 * Alerts and builds: what Prometheus says is firing, and which version of a service runs.
 */
import { LABEL, METRIC } from '@periscope/instrument/contract';
import { PROM_LABEL, eq, inService, orZero, sel } from './promql.ts';

/** Prometheus's series of active alerts. */
export const ALERTS_METRIC = 'ALERTS';

/** Number of alerts of the `$service` firing now (0 when none). */
export function firingAlerts(): string {
  return orZero(`count(${sel(ALERTS_METRIC, eq(PROM_LABEL.alertstate, 'firing'), inService())})`);
}

const build = () => sel(METRIC.buildInfo, inService());

/** Instances of the `$service` per running version and commit. */
export function runningVersions(): string {
  return `count by (${LABEL.version}, ${LABEL.commit}) (${build()})`;
}

/**
 * Deploys: a version and commit that runs now and did not one interval ago. A restart of the same
 * build is not a deploy, so it leaves no mark.
 */
export function deploys(): string {
  const by = `${LABEL.version}, ${LABEL.commit}`;
  return `count by (${by}) (${build()}) unless count by (${by}) (${build()} offset $__interval)`;
}

/** The variable query listing services: every job that reports a build. */
export function servicesVariable(): string {
  return `label_values(${METRIC.buildInfo}, ${PROM_LABEL.job})`;
}
