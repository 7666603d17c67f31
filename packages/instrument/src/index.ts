// The package's one public door: explicit re-exports only.
export { METRIC, LABEL, DURATION_BUCKETS, UNMATCHED_ROUTE, OVERFLOW_VALUE, HEADER, LOG_KEY, ACCESS_MESSAGE, HEALTH_PATH, METRICS_PATH, ENV } from './names.js';
