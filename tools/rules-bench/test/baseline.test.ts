import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BASELINE_COMMIT, baselineFile, perServiceRules, shippedRulesWithoutSlo } from '../baseline.ts';
import { makeServices } from '../services.ts';
import { REPO_ROOT } from '../setup.ts';

interface Group {
  name: string;
  rules: { record?: string; alert?: string; expr: string; labels?: Record<string, string> }[];
}

describe(`the per-service baseline (alerts/slo.rules.yml of ${BASELINE_COMMIT})`, () => {
  const old = baselineFile(REPO_ROOT);

  it('repeats the two groups of users, 22 rules, for every service with its job put in', () => {
    const { groups } = parse(perServiceRules(old, makeServices(3))) as { groups: Group[] };
    expect(groups.map((g) => g.name)).toEqual([
      'periscope.slo.svc-000.availability', 'periscope.slo.svc-000.latency',
      'periscope.slo.svc-001.availability', 'periscope.slo.svc-001.latency',
      'periscope.slo.svc-002.availability', 'periscope.slo.svc-002.latency',
    ]);
    expect(groups.flatMap((g) => g.rules)).toHaveLength(3 * 22);
    const latency = groups[3]!.rules;
    expect(latency[0]!.labels).toEqual({ job: 'svc-001', sli: 'latency' });
    expect(latency[1]!.expr).toContain('http_server_request_duration_seconds_bucket{job="svc-001", le="0.25"}[5m]');
    expect(JSON.stringify(groups)).not.toMatch(/\busers\b/);
  });

  it('loads every other shipped rules file beside it', () => {
    const files = shippedRulesWithoutSlo(REPO_ROOT).map((f) => f.slice(REPO_ROOT.length));
    expect(files).toContain('alerts/recording.rules.yml');
    expect(files).not.toContain('alerts/slo.rules.yml');
  });
});
