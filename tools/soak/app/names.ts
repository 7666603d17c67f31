/** Names the soak's own app and the soak runner share (the app's module starts a server, so they live apart). */

/** Name of the soak app's service (its Prometheus job, its syslog APP-NAME). */
export const SOAK_APP = 'soak-app';
/** Name of the gauge `PUT /series` registers. */
export const SERIES_METRIC = 'soak_synthetic_series';
/** Most records the soak app's syslog queue holds: small, so an outage of a minute overflows it and drops are counted. */
export const SOAK_SYSLOG_QUEUE_RECORDS = 1000;
