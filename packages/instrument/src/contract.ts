// `@periscope/instrument/contract`: the telemetry contract's names alone (metric and label names,
// buckets, header names, log keys, paths, environment variables). Dashboards, alert rules, the
// CLI and the demo import these; importing them loads no Express, pino or OpenTelemetry code.
export {
  ACCESS_MESSAGE,
  DURATION_BUCKETS,
  ENV,
  HEADER,
  HEALTH_PATH,
  LABEL,
  LOG_KEY,
  METRIC,
  METRICS_PATH,
  OVERFLOW_VALUE,
  SPAN_ATTRIBUTE,
  UNMATCHED_ROUTE,
} from './core/names.js';
