import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parser as logqlParser } from '@grafana/lezer-logql';
import { SEVERITIES } from '@periscope/stack';
import { lintAlert, lintRecord } from '../lib/lint.ts';
import { metricNames } from '../lib/promql.ts';
import { alertRules, ALERTS_DIR, loadRules } from '../lib/rules.ts';
import { headingAnchor, markdownAnchors, RUNBOOK_URL_PREFIX, RUNBOOKS_DIR, runbookUrl } from '../lib/runbooks.ts';

const rules = loadRules();
const alerts = alertRules(rules);
const DASHBOARD_UIDS = ['periscope-services-overview', 'periscope-service-detail', 'periscope-nodejs-runtime', 'periscope-host', 'periscope-slos'];
const SECTION_PARTS = ['**Meaning**', '**Confirm**', '**Likely causes**', '**What to do**', '**Dashboard**'];

/** The `## Heading` sections of a runbook, by heading. */
function sections(markdown: string): Map<string, string> {
  const result = new Map<string, string>();
  for (const part of markdown.split(/^## /m).slice(1)) {
    const [heading, ...body] = part.split('\n');
    result.set(heading!.trim(), body.join('\n'));
  }
  return result;
}

function codeBlocks(markdown: string, language: string): string[] {
  return [...markdown.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!.trim());
}

const runbookFiles = readdirSync(RUNBOOKS_DIR).filter((name) => name.endsWith('.md'));
const runbookText = new Map(runbookFiles.map((name) => [name, readFileSync(join(RUNBOOKS_DIR, name), 'utf8')]));

describe('alert lint', () => {
  it.each(alerts.map((rule) => [`${rule.alert} (${rule.labels.severity})`, rule]))('%s follows the house rules', (_name, rule) => {
    expect(lintAlert(rule)).toEqual([]);
  });

  it.each(rules.filter((rule) => rule.record).map((rule) => [rule.record, rule]))('%s is named level:metric:operations', (_name, rule) => {
    expect(lintRecord(rule)).toEqual([]);
  });

  it('reports a badly written alert, one problem per broken rule', () => {
    const bad = {
      file: 'bad.rules.yml',
      group: 'bad',
      alert: 'high_errors',
      expr: 'up == 0',
      labels: { severity: 'page' },
      annotations: { summary: '{{ $labels.job }} is down', description: 'Down.', runbook_url: runbookUrl('red.md', 'nosuchsection'), team: 'x' },
    };
    expect(lintAlert(bad)).toEqual([
      'bad.rules.yml high_errors: the alert name is not CamelCase',
      'bad.rules.yml high_errors: severity "page" is not one of critical, warning, info',
      'bad.rules.yml high_errors: has no for:, so one bad evaluation fires it',
      "bad.rules.yml high_errors: has no service label naming the service at fault (e.g. service: '{{ $labels.job }}')",
      'bad.rules.yml high_errors: summary must be a plain sentence with a capital letter and a full stop, without templates',
      'bad.rules.yml high_errors: description must use {{ $value }} and {{ $labels.* }} and end with a full stop',
      'bad.rules.yml high_errors: runbook_url names #nosuchsection, which is not a heading of red.md',
      'bad.rules.yml high_errors: unexpected annotation "team"',
    ]);
    expect(lintRecord({ ...bad, alert: undefined, record: 'errors_ratio' })).toHaveLength(1);
  });

  it('lets a multiwindow burn-rate alert (labels long and short) go without for:, and no other', () => {
    const burn = {
      file: 'slo.rules.yml',
      group: 'slo',
      alert: 'AvailabilityErrorBudgetBurn',
      expr: 'job:slo_availability_errors:ratio_rate1h > 0.0072 and job:slo_availability_errors:ratio_rate5m > 0.0072',
      labels: { severity: 'critical', service: 'users', long: '1h', short: '5m' },
      annotations: { summary: 'Burning.', description: '{{ $value }} for {{ $labels.job }}.', runbook_url: runbookUrl('slo.md', 'availabilityerrorbudgetburn') },
    };
    expect(lintAlert(burn)).toEqual([]);
    expect(lintAlert({ ...burn, labels: { severity: 'critical', service: 'users', long: '1h' } })).toEqual([
      'slo.rules.yml AvailabilityErrorBudgetBurn: has no for:, so one bad evaluation fires it',
    ]);
  });

  it('gives headings the anchors GitHub gives them', () => {
    expect(headingAnchor('ServiceErrorRatioHigh')).toBe('serviceerrorratiohigh');
    expect(headingAnchor('How to confirm: the `up` series')).toBe('how-to-confirm-the-up-series');
    expect([...markdownAnchors('# A\n## A\n```\n# not a heading\n```\n')]).toEqual(['a', 'a-1']);
  });

  it('documents every severity in alerts/README.md', () => {
    const readme = readFileSync(join(ALERTS_DIR, 'README.md'), 'utf8');
    for (const severity of Object.keys(SEVERITIES)) expect(readme).toMatch(new RegExp('\\| `' + severity + '` \\|'));
  });
});

describe('runbooks', () => {
  const linked = new Set(alerts.map((rule) => rule.annotations.runbook_url!.slice(RUNBOOK_URL_PREFIX.length)));

  it.each([...linked].map((link) => [link]))('%s has meaning, confirmation, causes, actions and a dashboard', (link) => {
    const [file, anchor] = link.split('#');
    const section = [...sections(runbookText.get(file!)!).entries()].find(([heading]) => headingAnchor(heading) === anchor)?.[1];
    expect(section, `${link} has no section`).toBeDefined();
    for (const part of SECTION_PARTS) expect(section, `${link} lacks ${part}`).toContain(part);
    expect(codeBlocks(section!, 'promql'), `${link} has no PromQL to confirm it`).not.toHaveLength(0);
    expect(DASHBOARD_UIDS.some((uid) => section!.includes(uid)), `${link} names no dashboard uid`).toBe(true);
  });

  it('gives every section an alert that links to it', () => {
    const headings = [...runbookText].flatMap(([file, text]) => [...sections(text).keys()].map((h) => `${file}#${headingAnchor(h)}`));
    expect(headings.filter((h) => !linked.has(h))).toEqual([]);
  });

  it('writes PromQL that parses and names only metrics the rules use or record', () => {
    const known = new Set([...rules.flatMap((rule) => metricNames(rule.expr)), ...rules.flatMap((rule) => (rule.record ? [rule.record] : []))]);
    for (const [file, text] of runbookText) {
      for (const expr of codeBlocks(text, 'promql')) {
        for (const name of metricNames(expr)) expect(known, `${file}: ${name} in ${expr}`).toContain(name);
      }
    }
  });

  it('writes LogQL that parses', () => {
    const queries = [...runbookText.values()].flatMap((text) => codeBlocks(text, 'logql'));
    expect(queries.length).toBeGreaterThan(0);
    for (const query of queries) {
      let error = -1;
      logqlParser.parse(query).iterate({ enter: (node) => { if (node.type.isError && error < 0) error = node.from; } });
      expect(error, `LogQL does not parse at ${error}: ${query}`).toBe(-1);
    }
  });
});
