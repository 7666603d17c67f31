import { describe, expect, it } from 'vitest';
import { alertRules, ruleIdentity } from '../lib/rules.ts';
import { alertCases, promtoolTestPaths, testedRuleFiles } from '../lib/promtool-tests.ts';

const rules = alertRules();
const cases = alertCases();

/** A label value as the alert carries it: `{{ $labels.x }}` templates filled from its other labels. */
function rendered(value: string, labels: Readonly<Record<string, string>>): string | undefined {
  let missing = false;
  const out = value.replace(/\{\{\s*\$labels\.(\w+)\s*\}\}/g, (_m, name: string) => labels[name] ?? ((missing = true), ''));
  return missing ? undefined : out;
}

/** True when an expected alert carries every label of the rule (templates filled in) and its name. */
function matches(expected: Readonly<Record<string, string>>, rule: (typeof rules)[number]): boolean {
  return expected.alertname === rule.alert && Object.entries(rule.labels).every(([k, v]) => expected[k] === rendered(v, expected));
}

describe('promtool test coverage', () => {
  it.each(rules.map((rule) => [ruleIdentity(rule), rule]))('%s has a promtool case where it fires', (_id, rule) => {
    const firing = cases.filter((c) => c.expected.some((expected) => matches(expected, rule)));
    expect(firing, `no alert_rule_test expects ${ruleIdentity(rule)} to fire`).not.toHaveLength(0);
  });

  it.each([...new Set(rules.map((rule) => rule.alert))])('%s has promtool cases where it does not fire', (alert) => {
    const quiet = cases.filter((c) => c.alertname === alert && c.expected.length === 0);
    // one just before `for:` and one without traffic, at least
    expect(quiet.length, `only ${quiet.length} quiet cases for ${alert}`).toBeGreaterThanOrEqual(2);
  });

  it('checks the annotations of every alert it expects to fire', () => {
    const unchecked = cases.flatMap((c) =>
      c.annotations.filter((a) => !a.summary || !a.description || !a.runbook_url).map(() => `${c.file} "${c.group}" at ${c.evalTime}`),
    );
    expect(unchecked).toEqual([]);
  });

  it('has one test file per rules file with alerts, loading that file', () => {
    const files = [...new Set(rules.map((rule) => rule.file))];
    const loaded = new Set(promtoolTestPaths().flatMap(testedRuleFiles));
    expect(files.filter((file) => !loaded.has(file))).toEqual([]);
  });

  it('detects an alert without a test', () => {
    const orphan = { ...rules[0]!, alert: 'NoSuchAlertAnywhere' };
    expect(cases.some((c) => c.expected.some((expected) => matches(expected, orphan)))).toBe(false);
  });
});
