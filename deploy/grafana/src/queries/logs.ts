/**
 * LogQL for a service's JSON log lines (see the contract's log keys). Streams are selected by
 * the `service` label the log agent sets; line fields are parsed with `| json`.
 */
import { LOG_KEY } from '@periscope/instrument';
import { VARIABLE } from './promql.ts';

/** The stream label that names the service in Loki. */
export const STREAM_LABEL = 'service';

const stream = () => `{${STREAM_LABEL}="$${VARIABLE.service}"}`;

/**
 * The service's log lines; the `$search` text box keeps lines whose request_id or trace_id
 * starts with its value (all lines when it is empty).
 */
export function serviceLogs(): string {
  const search = `$${VARIABLE.search}`;
  return `${stream()} |= "${search}" | json | ${LOG_KEY.requestId}=~"${search}.*" or ${LOG_KEY.traceId}=~"${search}.*"`;
}

/** Log lines per second by level. */
export function logRateByLevel(): string {
  return `sum by (${LOG_KEY.level}) (rate(${stream()} | json | __error__="" [$__auto]))`;
}
