/**
 * Formats one log line for the terminal: time, level, message, and the access-line and error
 * fields that matter when following a request.
 */
import { LOG_KEY } from '@periscope/instrument/contract';
import { field } from './log-files.js';
import type { LogRecord } from './log-files.js';

/**
 * `HH:MM:SS.mmm level msg  (METHOD route → status  N ms  Type: message)`; with `fullTime`, the
 * line's whole ISO 8601 time instead of the time of day.
 */
export function logLine(record: LogRecord, fullTime = false): string {
  const iso = field(record, LOG_KEY.time) ?? '';
  const time = fullTime ? iso : iso.slice(11, 23);
  const http = record[LOG_KEY.http] as { method?: string; route?: string; status_code?: number } | undefined;
  const err = record[LOG_KEY.err] as { type?: string; message?: string } | undefined;
  const duration = record[LOG_KEY.durationMs];
  const extra = [
    http && typeof http === 'object' ? `${http.method ?? ''} ${http.route ?? ''} → ${http.status_code ?? ''}` : '',
    typeof duration === 'number' ? `${duration} ms` : '',
    err && typeof err === 'object' ? `${err.type ?? 'Error'}: ${err.message ?? ''}` : '',
  ]
    .filter(Boolean)
    .join('  ');
  return `${time} ${String(record[LOG_KEY.level] ?? '').padEnd(5)} ${String(record[LOG_KEY.msg] ?? '')}${extra ? `  (${extra})` : ''}`;
}

/** `service` padded, then the line with its full time: one row of a listing across services. */
export function serviceLogLine(record: LogRecord): string {
  return `${String(record[LOG_KEY.service] ?? '?').padEnd(12)} ${logLine(record, true)}`;
}
