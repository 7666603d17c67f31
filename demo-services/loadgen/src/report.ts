/**
 * When loadgen prints: a summary line every `everyMs` (a minute by default), and at once when
 * what it sees changes — the share of 5xx answers moves to another band, or requests start or
 * stop failing outright (the frontend is down or too slow). Checked every few seconds over the
 * requests since the last check, so a change shows within one check.
 */
import type { Stats } from './stats.ts';

/** Upper bounds of the 5xx-share bands; a move from one band to another is a change worth a line. */
const BANDS: readonly number[] = [0, 0.01, 0.05, 0.2, 0.5, 1];

/** What loadgen sees over one check, reduced to what matters to a reader. */
export interface Condition {
  /** Index in the bands of the 5xx share (0: none). */
  band: number;
  /** Kinds of outright failure seen (`refused`, `timeouts`), sorted. */
  failures: string[];
}

/** The condition of a window of requests. */
export function conditionOf(stats: Stats): Condition {
  const share = stats.sent > 0 ? stats.serverErrors / stats.sent : 0;
  return { band: BANDS.findIndex((upper) => share <= upper), failures: stats.failureKinds() };
}

/** Words for the change from `before` to `now`, or `undefined` when nothing changed. */
export function describeChange(before: Condition, now: Condition): string | undefined {
  const parts: string[] = [];
  if (before.band !== now.band) parts.push(now.band === 0 ? 'server errors stopped' : `server errors now ${bandText(now.band)} of requests`);
  for (const kind of now.failures.filter((k) => !before.failures.includes(k))) parts.push(`requests ${kind === 'refused' ? 'refused: the frontend is down' : `failing: ${kind}`}`);
  for (const kind of before.failures.filter((k) => !now.failures.includes(k))) parts.push(`no more ${kind}`);
  return parts.length > 0 ? parts.join('; ') : undefined;
}

function bandText(band: number): string {
  const low = BANDS[band - 1]!;
  const high = BANDS[band]!;
  return `${Math.round(low * 100)}–${Math.round(high * 100)}%`;
}
