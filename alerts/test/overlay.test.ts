import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'yaml';
import { createTestOverlay, overlayRuleFile } from '../test-overlay/overlay.ts';
import { createAlertmanagerOverlay } from '../test-overlay/alertmanager.ts';
import { runTool } from '../lib/exec.ts';
import { loadRules, readRuleFile, ruleFilePaths } from '../lib/rules.ts';
import type { RuleFile } from '../lib/rules.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe('rules test overlay', () => {
  it('copies every rule file with the same expressions, labels and annotations', () => {
    const overlay = createTestOverlay({ evaluationInterval: '1s', maxFor: '5s' });
    cleanups.push(overlay.remove);
    expect(overlay.ruleFiles.map((f) => basename(f))).toEqual(ruleFilePaths().map((f) => basename(f)));
    const shipped = loadRules();
    const copied = loadRules(overlay.ruleFiles);
    expect(copied.map(({ expr, labels, annotations, alert, record }) => ({ expr, labels, annotations, alert, record }))).toEqual(
      shipped.map(({ expr, labels, annotations, alert, record }) => ({ expr, labels, annotations, alert, record })),
    );
  });

  it('sets every group interval and caps every for: at maxFor, keeping shorter ones', () => {
    const overlay = createTestOverlay({ evaluationInterval: '2s', maxFor: '10s' });
    cleanups.push(overlay.remove);
    for (const file of overlay.ruleFiles) for (const group of readRuleFile(file).groups) expect(group.interval).toBe('2s');
    const fors = loadRules(overlay.ruleFiles).flatMap((rule) => (rule.for ? [rule.for] : []));
    expect(new Set(fors)).toEqual(new Set(['10s']));
    const file: RuleFile = { groups: [{ name: 'g', rules: [{ alert: 'A', expr: 'up == 0', for: '3s' }, { record: 'a:b:c', expr: 'up' }] }] };
    expect(overlayRuleFile(file, '1s', '10s').groups[0]!.rules).toEqual([{ alert: 'A', expr: 'up == 0', for: '3s' }, { record: 'a:b:c', expr: 'up' }]);
  });

  it('writes rules that promtool accepts', async () => {
    const overlay = createTestOverlay();
    cleanups.push(overlay.remove);
    const result = await runTool('promtool', ['check', 'rules', ...overlay.ruleFiles]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
  });

  it('removes its folder', () => {
    const overlay = createTestOverlay();
    overlay.remove();
    expect(existsSync(overlay.dir)).toBe(false);
  });

  it('rejects a bad duration', () => {
    expect(() => createTestOverlay({ maxFor: 'soon' })).toThrow('invalid duration "soon"');
  });
});

describe('Alertmanager test overlay', () => {
  it('points the webhooks at the test receiver, keeps their paths and shortens the timers', async () => {
    const overlay = createAlertmanagerOverlay({ webhookOrigin: 'http://127.0.0.1:43117' });
    cleanups.push(overlay.remove);
    const config = parse(readFileSync(overlay.configFile, 'utf8')) as {
      route: { group_wait: string; routes: { group_interval: string }[] };
      receivers: { name: string; webhook_configs: { url: string }[] }[];
      inhibit_rules: unknown[];
    };
    expect(config.receivers.map((r) => [r.name, r.webhook_configs[0]!.url])).toEqual([
      ['paging', 'http://127.0.0.1:43117/paging'],
      ['team', 'http://127.0.0.1:43117/team'],
    ]);
    expect(config.route.group_wait).toBe('1s');
    expect(config.route.routes.every((r) => r.group_interval === '1s')).toBe(true);
    // the shipped inhibition, unchanged
    const shipped = parse(readFileSync(new URL('../../deploy/alertmanager/alertmanager.yml', import.meta.url), 'utf8')) as { inhibit_rules: unknown[] };
    expect(config.inhibit_rules).toEqual(shipped.inhibit_rules);
    expect(config.inhibit_rules.length).toBeGreaterThan(0);
    const check = await runTool('amtool', ['check-config', overlay.configFile]);
    expect(check.code, check.stdout + check.stderr).toBe(0);
  });
});
