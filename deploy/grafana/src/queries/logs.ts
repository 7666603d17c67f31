/**
 * LogQL for a service's JSON log lines (see the contract's log keys). Streams are selected by
 * the `service` label the log agent sets; line fields are parsed with `| json`.
 */
import { LOG_KEY } from '@periscope/instrument/contract';
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

/** A field of the logged error as `| json` names it: nested keys are joined with `_` (`err_fingerprint`). */
export function errorField(key: 'type' | 'fingerprint' | 'first_seen'): string {
  return `${LOG_KEY.err}_${key}`;
}

/**
 * The `limit` most frequent error fingerprints (one per bug) of the service, each with its error
 * type, counted over the hour up to each point. A line filter keeps `| json` to the lines that
 * carry a fingerprint.
 */
export function topErrorFingerprints(limit = 10): string {
  const fingerprint = errorField('fingerprint');
  const lines = `${stream()} |= \`"fingerprint":\` | json | ${fingerprint}!=""`;
  return `topk(${limit}, sum by (${fingerprint}, ${errorField('type')}) (count_over_time(${lines} [1h])))`;
}
