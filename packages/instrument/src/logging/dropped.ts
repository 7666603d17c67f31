/**
 * The count of log lines a destination dropped: `periscope_log_lines_dropped_total{destination}`.
 * A destination drops lines only when it cannot keep up and its buffer (`logBufferBytes`) is full.
 */
import { Counter } from 'prom-client';
import type { Registry } from 'prom-client';
import { LABEL, METRIC } from '../core/names.js';

/** Where the package writes log lines itself: `stdout` or the log `file`. */
export type LogDestination = 'stdout' | 'file';

/** Counts `lines` dropped by `destination`. */
export type OnLogDrop = (destination: LogDestination, lines: number) => void;

/** Registers the counter on `registry`; returns what the logger calls on a drop. */
export function countLogDrops(registry: Registry): OnLogDrop {
  const dropped = new Counter({
    name: METRIC.logDropped,
    help: 'Log lines dropped because stdout or the log file could not keep up and its buffer was full.',
    labelNames: [LABEL.destination],
    registers: [registry],
  });
  return (destination, lines) => dropped.inc({ [LABEL.destination]: destination }, lines);
}

/** The number of lines in `text`: its newlines, and one more for a last line without one. */
export function linesIn(text: string | Buffer): number {
  const s = typeof text === 'string' ? text : text.toString('utf8');
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return s.length > 0 && !s.endsWith('\n') ? n + 1 : n;
}
