import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { BURN_WINDOWS, DEFAULT_OBJECTIVES, SLIS, SLO_SERIES, parseDuration, formatDuration } from '@periscope/stack';
import { main } from '@periscope/cli';
import { OUTPUT_PATH, renderSloRules } from '../slo/generate.ts';
import { burnRateThreshold, recordedWindows, sloRuleGroups, tidy } from '../slo/rules.ts';
import type { AlertingRule, RecordingRule } from '../slo/rules.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../tests/fixtures/${name}`, import.meta.url));
const alertsOf = (group: { rules: (RecordingRule | AlertingRule)[] }) => group.rules.filter((rule): rule is AlertingRule => 'alert' in rule);

async function sloRules(...args: string[]): Promise<string> {
  let out = '';
  expect(await main(['slo', 'rules', ...args], (s) => (out += s), (s) => expect.fail(s))).toBe(0);
  return out;
}

describe('SLO rules generator', () => {
  it('writes exactly the committed slo.rules.yml (run npm run alerts:generate when this fails)', () => {
    expect(renderSloRules()).toBe(readFileSync(OUTPUT_PATH, 'utf8'));
  });

  it('names no service: the rules are generic over job', () => {
    const text = readFileSync(OUTPUT_PATH, 'utf8');
    expect(text).not.toMatch(/job="/);
    expect(text).not.toMatch(/\b(users|thoughts|frontend)\b/);
  });

  it('pages at burn rates 7.2 (1h/5m) and 6 (6h/5m) without for:, and tickets at 3 and 1, for a 30-day window, per SLI', () => {
    for (const group of sloRuleGroups().slice(1)) {
      expect(alertsOf(group).map((rule) => [rule.expr.match(/\) > (\S+)\n/)![1], rule.labels.long, rule.labels.short, rule.labels.severity, rule.for])).toEqual([
        ['7.2', '1h', '5m', 'critical', undefined],
        ['6', '6h', '5m', 'critical', undefined],
        ['3', '1d', '2h', 'warning', '1h'],
        ['1', '3d', '6h', 'warning', '3h'],
      ]);
    }
  });

  it('scales the burn rates with the window', () => {
    expect(BURN_WINDOWS.map((pair) => burnRateThreshold(pair, '28d'))).toEqual([6.72, 5.6, 2.8, 0.9333333333]);
  });

  it('records the objective in force first, then each SLI over every window its alerts read', () => {
    const [objectives, ...slis] = sloRuleGroups();
    expect(objectives!.rules.map((rule) => ('record' in rule ? [rule.record, rule.labels?.sli] : []))).toEqual([
      [SLO_SERIES.objective, 'availability'],
      [SLO_SERIES.objective, 'latency'],
    ]);
    expect(slis.map((g) => g.name)).toEqual(SLIS.map((sli) => `periscope.slo.${sli}`));
    for (const group of slis) expect(group.rules.filter((rule) => 'record' in rule)).toHaveLength(recordedWindows().length);
    expect(recordedWindows()).toEqual(['5m', '1h', '2h', '6h', '1d', '3d']);
  });

  it('falls back to the default objectives, the latency threshold as le', () => {
    const [availability, latency] = sloRuleGroups()[0]!.rules as RecordingRule[];
    expect(availability!.expr).toContain(`or on (job)\ngroup by (job) (http_server_request_duration_seconds_count) * ${tidy(DEFAULT_OBJECTIVES.availability / 100)}`);
    expect(latency!.expr).toContain(`"le", "${DEFAULT_OBJECTIVES.latency.threshold}", "", "") * ${tidy(DEFAULT_OBJECTIVES.latency.objective / 100)}`);
  });
});

describe('declared objectives', () => {
  it('the test fixture is what `periscope slo rules` makes of its OpenSLO file (run npm run generate when this fails)', async () => {
    const text = await sloRules('alerts/tests/fixtures/objectives.slo.yaml');
    expect(text).toBe(readFileSync(fixture('objectives.rules.yml'), 'utf8'));
  });

  it('the demo services declare theirs in OpenSLO files beside their code, rendered into demo-services/slo.rules.yml', async () => {
    const services = ['frontend', 'thoughts', 'users'];
    const text = await sloRules(...services.map((s) => `demo-services/${s}/slo.yaml`));
    expect(text).toBe(readFileSync(fileURLToPath(new URL('../../demo-services/slo.rules.yml', import.meta.url)), 'utf8'));
    const rules = (parse(text) as { groups: { rules: RecordingRule[] }[] }).groups[0]!.rules;
    expect(rules.map((r) => `${r.labels!.job}/${r.labels!.sli}=${r.expr}${r.labels!.le ? ` le=${r.labels!.le}` : ''}`)).toEqual([
      'frontend/availability=vector(0.995)',
      'frontend/latency=vector(0.99) le=0.5',
      'thoughts/availability=vector(0.999)',
      'thoughts/latency=vector(0.99) le=0.25',
      'users/availability=vector(0.999)',
      'users/latency=vector(0.99) le=0.25',
    ]);
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
