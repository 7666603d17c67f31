/**
 * The soak's report: `report.json` (everything measured) and `report.md` (the short tables a
 * reader checks first), written to the output folder; the Markdown is also what the run prints.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { InstanceAccount, Ledger } from './accounting.ts';
import type { PhaseSummary } from './recorder.ts';
import type { TargetResult } from './targets.ts';
import { round } from './stats.ts';

/** The whole report. */
export interface SoakReport {
  startedAt: string;
  /** Planned phase time and the wall-clock time of the whole run (start-up and drain included), in seconds. */
  plannedSeconds: number;
  wallSeconds: number;
  rate: number;
  node: string;
  phases: PhaseSummary[];
  audit: Ledger;
  errors: Ledger;
  accounts: InstanceAccount[];
  /** RSS growth per hour (MiB/h) per service, extrapolated from the measured phases. */
  rssGrowthPerHourMiB: Record<string, number>;
  disk: { bytes: number; boundBytes: number };
  /** The services' first stderr lines (there should be none). */
  stderr: string[];
  /** Stdout lines that were not JSON. */
  unparsedLines: number;
  targets: TargetResult[];
  passed: boolean;
}

const cell = (v: unknown) => String(v).replace(/\|/g, '\\|');
const row = (cells: unknown[]) => `| ${cells.map(cell).join(' | ')} |`;

/** The Markdown tables of `report`. */
export function markdown(report: SoakReport): string {
  const out: string[] = [];
  out.push(`Soak of ${round(report.plannedSeconds / 60)} min at ${report.rate} req/s (wall clock ${round(report.wallSeconds / 60)} min, Node ${report.node}, started ${report.startedAt}): **${report.passed ? 'PASSED' : 'FAILED'}**`, '');
  out.push(row(['phase', 's', 'req/s', 'p50 ms', 'p99 ms', 'failed', 'excused', 'RSS MiB (start→end, max of services)', 'heap MiB', 'loop p99 ms', 'notes']));
  out.push(row(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---', '---', '---:', '---']));
  for (const p of report.phases) {
    const services = Object.values(p.services);
    const rss = services.length ? `${Math.max(...services.map((s) => s!.rssStartMiB))}→${Math.max(...services.map((s) => s!.rssEndMiB))}` : '';
    const heap = services.length ? `${Math.max(...services.map((s) => s!.heapStartMiB))}→${Math.max(...services.map((s) => s!.heapEndMiB))}` : '';
    const loop = services.length ? Math.max(...services.map((s) => s!.eventLoopP99MaxMs)) : '';
    out.push(row([p.fault, p.seconds, p.throughputRps, p.p50Ms, p.p99Ms, p.failed, p.excused, rss, heap, loop, p.notes.join('; ')]));
  }
  out.push('', row(['ledger', 'acknowledged / produced', 'written / received', 'dropped (counted)', 'lost / unaccounted']), row(['---', '---:', '---:', '---:', '---:']));
  out.push(row(['audit events', report.audit.acknowledged, report.audit.written, '-', report.audit.lost]));
  out.push(row(['error reports', report.errors.acknowledged, report.errors.written, '-', report.errors.lost]));
  for (const a of report.accounts) {
    const tag = a.killed ? ' (SIGKILLed: not held against it)' : '';
    const unconfirmed = a.syslog.unconfirmed ? ` + ${a.syslog.unconfirmed} unconfirmed (${a.syslog.unconfirmedArrived} of them arrived)` : '';
    out.push(row([`syslog ${a.instance}${tag}`, a.syslog.produced, a.syslog.received, `${a.syslog.dropped}${unconfirmed}`, Math.max(0, a.syslog.unaccounted)]));
    out.push(row([`spans ${a.instance}${tag}`, a.spans.produced, a.spans.exported, a.spans.dropped, Math.max(0, a.spans.unaccounted)]));
  }
  out.push('', row(['target', 'met', 'detail']), row(['---', '---', '---']));
  for (const t of report.targets) out.push(row([t.target, t.met ? 'yes' : '**NO**', t.detail]));
  out.push('', `RSS growth per hour (extrapolated): ${Object.entries(report.rssGrowthPerHourMiB).map(([s, v]) => `${s} ${v} MiB/h`).join(', ')}. Disk: ${round(report.disk.bytes / 1048576)} MiB of a ${round(report.disk.boundBytes / 1048576)} MiB bound.`);
  return out.join('\n') + '\n';
}

/** Writes `report.json` and `report.md` into `outDir`; returns the Markdown. */
export function writeReport(outDir: string, report: SoakReport): string {
  mkdirSync(outDir, { recursive: true });
  const md = markdown(report);
  writeFileSync(path.join(outDir, 'report.json'), JSON.stringify(report, null, 2) + '\n');
  writeFileSync(path.join(outDir, 'report.md'), md);
  return md;
}
