/** The benchmark's results as Markdown tables (and JSON beside them). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SizeResult } from './run.ts';

export interface BenchReport {
  readonly date: string;
  readonly rules: string;
  readonly machine: string;
  readonly minutes: number;
  readonly step: number;
  readonly sizes: readonly SizeResult[];
}

const ms = (s: number) => (Number.isFinite(s) ? `${(s * 1000).toFixed(s < 0.01 ? 1 : 0)} ms` : '–');
const n = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en') : '–');
const mib = (b: number) => `${Math.round(b / 2 ** 20)} MiB`;

function group(size: SizeResult, name: string) {
  return size.groups.find((g) => g.name === name);
}

function pair(size: SizeResult, name: string): string {
  const g = group(size, name);
  return g ? `${ms(g.p50)} / ${ms(g.max)}` : '–';
}

/** The main table: one row per size. */
export function sizeTable(sizes: readonly SizeResult[]): string {
  const rows = [
    '| services | rules (SLO + declared) | head series | SLO recording series | objectives p50 / max | availability p50 / max | latency p50 / max | all other groups p50 | Prometheus RSS (max) |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const s of sizes) {
    const others = s.groups.filter((g) => !g.name.startsWith('periscope.slo.')).reduce((sum, g) => sum + g.p50, 0);
    rows.push(
      `| ${s.services} | ${s.rules.all} (${s.rules.slo} + ${s.rules.declared}) | ${n(s.headSeries)} | ${n(s.sloSeries)} | ` +
        `${pair(s, 'periscope.slo.objectives')} | ${pair(s, 'periscope.slo.availability')} | ${pair(s, 'periscope.slo.latency')} | ${ms(others)} | ${mib(s.rssBytes.max)} |`,
    );
  }
  return rows.join('\n');
}

/**
 * The cost of the SLO rules, whichever their shape: rules, groups, series recorded, the groups'
 * median evaluation times summed (the work of one evaluation interval), the slowest group, and
 * the samples the recording rules read in one evaluation (per-service: the first service's × N).
 */
export function costTable(sizes: readonly SizeResult[]): string {
  const rows = [
    '| rules | services | SLO rules | SLO groups | SLO recording series | SLO evaluation per interval (sum of group p50) | slowest SLO group (max) | samples read per evaluation | CPU per evaluation, alone | Prometheus CPU |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const s of sizes) {
    const slo = s.groups.filter((g) => g.slo);
    const times = s.ruleSet === 'per-service' ? s.services : 1;
    const read = Object.values(s.samplesRead).reduce((a, b) => a + b, 0) * times;
    const cpu = Object.values(s.isolated ?? {}).reduce((a, b) => a + b.cpu, 0) * times;
    rows.push(
      `| ${s.ruleSet} | ${s.services} | ${s.rules.slo} | ${slo.length} | ${n(s.sloSeries)} | ${ms(slo.reduce((a, g) => a + g.p50, 0))} | ` +
        `${ms(Math.max(...slo.map((g) => g.max)))} | ${n(read)} | ${ms(cpu)} | ${s.cpuPerSecond.toFixed(2)} s/s |`,
    );
  }
  return rows.join('\n');
}

/** Median seconds of each rule of one SLO group, and the samples each ratio reads, per size. */
export function ruleTable(sizes: readonly SizeResult[], groupName: string): string {
  if (!group(sizes[0]!, groupName)) return '';
  const names = group(sizes[0]!, groupName)?.perRule ? Object.keys(group(sizes[0]!, groupName)!.perRule!) : [];
  const head = `| rule (${groupName}) | ${sizes.map((s) => `${s.services} services`).join(' | ')} |`;
  const rows = [head, `|---|${sizes.map(() => '---:').join('|')}|`];
  for (const rule of names) {
    const cells = sizes.map((s) => {
      const t = group(s, groupName)?.perRule?.[rule] ?? Number.NaN;
      const read = s.samplesRead[rule];
      const alone = s.isolated?.[rule];
      return read === undefined ? ms(t) : `${ms(t)} (${n(read)} samples; ${alone ? ms(alone.cpu) : '–'} CPU alone)`;
    });
    rows.push(`| \`${rule}\` | ${cells.join(' | ')} |`);
  }
  return rows.join('\n');
}

export function renderReport(report: BenchReport): string {
  const lines = [
    `# Rule evaluation against the number of services (${report.date})`,
    '',
    `Machine: ${report.machine}. SLO rules: ${report.rules}. History every ${report.step}s, scrape and evaluation every 15s, ${report.minutes} min measured per size.`,
    '',
    sizeTable(report.sizes),
    '',
    costTable(report.sizes),
    '',
    ...['availability', 'latency'].flatMap((sli) => {
      const prefix = report.rules === 'generic' ? 'periscope.slo' : 'periscope.slo.svc-000';
      const table = ruleTable(report.sizes, `${prefix}.${sli}`);
      return table ? [table, ''] : [];
    }),
    '| services | history samples | history text | backfill | jobs with SLO ratios | rule failures | missed iterations | Prometheus CPU | load average (start, end) | firing |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    ...report.sizes.map((s) => {
      const missed = s.groups.reduce((sum, g) => sum + (Number.isFinite(g.missed) ? g.missed : 0), 0);
      const firing = Object.entries(s.firing).map(([a, c]) => `${a} ${c}`).join(', ') || 'none';
      return `| ${s.services} | ${n(s.history.samples)} | ${(s.history.bytes / 1e9).toFixed(2)} GB | ${s.history.seconds.toFixed(0)} s | ${n(s.jobsWithSlo)} | ${s.failures} | ${missed} | ${s.cpuPerSecond.toFixed(2)} s/s | ${s.load.map((l) => l.toFixed(1)).join(', ')} | ${firing} |`;
    }),
    '',
  ];
  return lines.join('\n');
}

/** Writes report.json and report.md into `dir`; returns the Markdown. */
export function writeReport(dir: string, report: BenchReport): string {
  mkdirSync(dir, { recursive: true });
  const md = renderReport(report);
  writeFileSync(join(dir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(dir, 'report.md'), md);
  return md;
}
