/**
 * `@periscope/stack`: the settings every part of the stack outside the package shares, as
 * kubernetes-mixin keeps them in one config.libsonnet — SLO defaults and windows, alerting
 * conventions, discovery labels. The alert rules, dashboards, deploy files, the demo and the
 * `periscope slo` command read them from here; change a value, then run `npm run generate`.
 */
export { SLIS, SLO_WINDOW, SLO_SELECTOR, BURN_WINDOWS, DEFAULT_OBJECTIVES, SLO_LABEL, SLO_SERIES, BURN_ALERT, errorRatioSeries } from './slo.js';
export type { Sli, BurnWindow, BurnSeverity, Objectives } from './slo.js';
export { SEVERITIES, RUNBOOK_BASE_URL, RUNBOOK_BASE_LABEL, TARGET_DOWN_ALERT, ROUTING_LABEL, COMPONENT_JOBS } from './alerting.js';
export type { Severity } from './alerting.js';
export { KUBERNETES, CONTAINERS, FILE_SD } from './discovery.js';
export { parseDuration, formatDuration } from './duration.js';
