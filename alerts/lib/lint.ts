/** The house rules every alert and recording rule must follow; each problem is one sentence. */
import { SEVERITIES } from '@periscope/stack';
import { parseDuration } from '@periscope/stack';
import { runbookLinkProblem } from './runbooks.ts';
import type { LoadedRule } from './rules.ts';

const CAMEL_CASE = /^[A-Z][a-z0-9]*(?:[A-Z]+[a-z0-9]*)*$/;
const RECORD_NAME = /^[a-z][a-z0-9_]*:[a-z][a-z0-9_]*:[a-z0-9_]+$/;

/** Problems with an alerting rule's name, severity, `for:` and annotations. */
export function lintAlert(rule: LoadedRule, runbooksDir?: string): string[] {
  const problems: string[] = [];
  const where = `${rule.file} ${rule.alert}`;
  const { summary, description, runbook_url: runbook, ...other } = rule.annotations;
  if (!rule.alert || !CAMEL_CASE.test(rule.alert)) problems.push(`${where}: the alert name is not CamelCase`);
  if (!Object.hasOwn(SEVERITIES, rule.labels.severity ?? '')) {
    problems.push(`${where}: severity "${rule.labels.severity}" is not one of ${Object.keys(SEVERITIES).join(', ')}`);
  }
  // A multiwindow burn-rate alert (labels long and short) needs no for: its short window is the
  // confirmation, and a for: would only delay the page (SRE Workbook, ch. 5).
  const multiwindow = rule.labels.long !== undefined && rule.labels.short !== undefined;
  if (!multiwindow && (!rule.for || parseDuration(rule.for) === 0)) problems.push(`${where}: has no for:, so one bad evaluation fires it`);
  // Every alert about a service names it in `service` (the host's alerts are about the host).
  if (rule.labels.service === undefined && !rule.file.endsWith('host.rules.yml')) {
    problems.push(`${where}: has no service label naming the service at fault (e.g. service: '{{ $labels.job }}')`);
  }
  if (!summary || !/^[A-Z][^{}]*\.$/.test(summary) || summary.includes('$')) {
    problems.push(`${where}: summary must be a plain sentence with a capital letter and a full stop, without templates`);
  }
  if (!description || !description.includes('$value') || !description.includes('$labels.') || !description.trim().endsWith('.')) {
    problems.push(`${where}: description must use {{ $value }} and {{ $labels.* }} and end with a full stop`);
  }
  const linkProblem = runbook ? runbookLinkProblem(runbook, runbooksDir) : 'is missing';
  if (linkProblem) problems.push(`${where}: runbook_url ${linkProblem}`);
  for (const key of Object.keys(other)) problems.push(`${where}: unexpected annotation "${key}"`);
  return problems;
}

/** Problems with a recording rule's name (level:metric:operations) and labels. */
export function lintRecord(rule: LoadedRule): string[] {
  if (RECORD_NAME.test(rule.record ?? '')) return [];
  return [`${rule.file} ${rule.record}: a recording rule is named level:metric:operations`];
}
