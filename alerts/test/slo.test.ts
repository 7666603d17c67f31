import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { OUTPUT_PATH, renderSloRules } from '../slo/generate.ts';
import { BURN_WINDOWS, leMatcher, recordedWindows, sloRuleGroups } from '../slo/rules.ts';
import { parseSpec, topologySpec } from '../slo/spec.ts';
import { formatDuration, parseDuration } from '@periscope/stack';

const spec = topologySpec();

describe('SLO rules generator', () => {
  it('writes exactly the committed slo.rules.yml (run npm run alerts:generate when this fails)', () => {
    expect(renderSloRules()).toBe(readFileSync(OUTPUT_PATH, 'utf8'));
  });

  it('pages at burn rates 7.2 (1h/5m) and 6 (6h/5m) without for:, and tickets at 3 and 1, for a 30-day window', () => {
    const rules = sloRuleGroups(spec)[0]!.rules.filter((rule) => 'alert' in rule);
    expect(rules.map((rule) => [rule.expr.match(/> \((\S+) \*/)![1], rule.labels.long, rule.labels.short, rule.labels.severity, rule.for])).toEqual([
      ['7.2', '1h', '5m', 'critical', undefined],
      ['6', '6h', '5m', 'critical', undefined],
      ['3', '1d', '2h', 'warning', '1h'],
      ['1', '3d', '6h', 'warning', '3h'],
    ]);
  });

  it('scales the burn rates with the window', () => {
    const spec = parseSpec('window: 28d\nobjectives:\n  - {service: users, sli: availability, objective: 99}\n');
    const factors = sloRuleGroups(spec)[0]!.rules.flatMap((rule) => ('alert' in rule ? [rule.expr.match(/> \((\S+) \*/)![1]] : []));
    expect(factors).toEqual(['6.72', '5.6', '2.8', '0.9333333333']);
  });

  it('gives every service two SLIs and every SLI all four window pairs', () => {
    const doc = parse(readFileSync(OUTPUT_PATH, 'utf8')) as { groups: { name: string; rules: { alert?: string; labels?: Record<string, string> }[] }[] };
    const services = new Set(spec.objectives.map((o) => o.service));
    expect(doc.groups).toHaveLength(services.size * 2);
    for (const group of doc.groups) expect(group.rules.filter((rule) => rule.alert)).toHaveLength(BURN_WINDOWS.length);
    expect(recordedWindows()).toEqual(['5m', '1h', '2h', '6h', '1d', '3d']);
  });

  it('matches both spellings of an integer bucket boundary', () => {
    expect(leMatcher(0.25)).toBe('le="0.25"');
    expect(leMatcher(1)).toBe('le=~"1|1\\\\.0"');
  });

  it.each([
    ['window: 30d\nobjectives: []\n', 'spec: invalid objectives [] - expected a non-empty list'],
    ['window: 5h\nobjectives: [{service: users, sli: availability, objective: 99}]\n', 'spec: invalid window "5h" - expected whole days or weeks'],
    ['window: 30d\nobjectives: [{service: users, sli: speed, objective: 99}]\n', 'objectives[0]: invalid sli "speed" - expected availability or latency'],
    ['window: 30d\nobjectives: [{service: users, sli: availability, objective: 100}]\n', 'objectives[0]: invalid objective 100 - expected a percentage'],
    ['window: 30d\nobjectives: [{service: users, sli: latency, objective: 99, threshold: 0.3}]\n', 'objectives[0]: invalid threshold 0.3 - expected a histogram bucket boundary'],
    ['window: 30d\nobjectives: [{service: users, sli: availability, objective: 99, threshold: 1}]\n', 'objectives[0]: invalid threshold 1 - expected no threshold'],
    ['window: 30d\nobjectives: [{service: Users, sli: availability, objective: 99}]\n', 'objectives[0]: invalid service "Users"'],
    ['window: 30d\nobjectives: [{service: users, sli: availability, objective: 99, target: 1}]\n', 'objectives[0]: invalid key "target"'],
    [
      'window: 30d\nobjectives: [{service: users, sli: availability, objective: 99}, {service: users, sli: availability, objective: 98}]\n',
      'spec: invalid objectives "users/availability" - expected one entry per service and SLI',
    ],
  ])('rejects a bad spec: %j', (text, message) => {
    expect(() => parseSpec(text)).toThrow(message);
  });
});

describe('durations', () => {
  it('parse and format the way Prometheus writes them', () => {
    expect(parseDuration('1h30m')).toBe(5400);
    expect(parseDuration('3d')).toBe(259_200);
    expect(formatDuration(5400)).toBe('1h30m');
    expect(formatDuration(1.5)).toBe('1s500ms');
    expect(formatDuration(0)).toBe('0s');
    expect(() => parseDuration('5 minutes')).toThrow('invalid duration "5 minutes"');
  });
});
