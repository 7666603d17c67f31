import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { BURN_WINDOWS } from '@periscope/stack';
import { runTool } from '../../../alerts/lib/exec.ts';
import { startAlertmanager } from '../../../tools/testing/alertmanager.ts';
import type { LoopbackServer } from '../../../tools/testing/process.ts';

const CONFIG = fileURLToPath(new URL('../alertmanager.yml', import.meta.url));

describe('Alertmanager configuration', () => {
  it('passes amtool check-config', async () => {
    const result = await runTool('amtool', ['check-config', CONFIG]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('SUCCESS');
  });

  it('groups by alert name, service and team, and pages once per service and team, fast, with resolves within 30 seconds', () => {
    type Route = { group_by?: string[]; group_wait?: string; group_interval?: string; receiver: string; routes?: Route[] };
    const config = parse(readFileSync(CONFIG, 'utf8')) as { route: Route };
    expect(config.route.group_by).toEqual(['alertname', 'service', 'job', 'team']);
    const paging = config.route.routes!.find((route) => route.receiver === 'paging')!;
    expect([paging.group_by, paging.group_wait, paging.group_interval]).toEqual([['service', 'job', 'team'], '10s', '30s']);
    // The team route inherits the root's grouping.
    const team = config.route.routes!.find((route) => route.receiver === 'team')!;
    expect(team.group_by ?? config.route.group_by).toContain('team');
  });

  it('silences the slow burn-rate page with the fast one, for the window pairs the rules use', () => {
    type Rule = { source_matchers: string[]; target_matchers: string[]; equal: string[] };
    const config = parse(readFileSync(CONFIG, 'utf8')) as { inhibit_rules: Rule[] };
    const pages = BURN_WINDOWS.filter((w) => w.severity === 'critical');
    expect(pages.map((w) => `${w.long}/${w.short}`)).toEqual(['1h/5m', '6h/5m']);
    const [fast, slow] = pages;
    expect(config.inhibit_rules).toContainEqual({
      source_matchers: ['severity="critical"', `long="${fast!.long}"`, `short="${fast!.short}"`],
      target_matchers: ['severity="critical"', `long="${slow!.long}"`, `short="${slow!.short}"`],
      equal: ['alertname', 'job', 'sli'],
    });
  });

  it('sends to distinct local webhook paths and reports resolved alerts', () => {
    const config = parse(readFileSync(CONFIG, 'utf8')) as { receivers: { name: string; webhook_configs: { url: string; send_resolved: boolean }[] }[] };
    expect(config.receivers.map((r) => [r.name, r.webhook_configs[0]!.url, r.webhook_configs[0]!.send_resolved])).toEqual([
      ['paging', 'http://127.0.0.1:9099/paging', true],
      ['team', 'http://127.0.0.1:9099/team', true],
    ]);
  });

  it.each([
    [['alertname=NodejsEventLoopLagHigh', 'severity=critical', 'service=users', 'job=users'], 'paging'],
    [['alertname=TargetDown', 'severity=critical', 'job=thoughts'], 'paging'],
    [['alertname=AvailabilityErrorBudgetBurn', 'severity=critical', 'job=frontend', 'long=1h', 'short=5m'], 'paging'],
    [['alertname=ServiceErrorRatioHigh', 'severity=warning', 'job=users'], 'team'],
    [['alertname=LatencyErrorBudgetBurn', 'severity=warning', 'job=users', 'long=3d', 'short=6h'], 'team'],
    [['alertname=ServiceTrafficStopped', 'severity=info', 'job=users'], 'team'],
    [['alertname=NodeCPUHighUsage', 'severity=info', 'job=node'], 'team'],
    [['alertname=SomethingNew', 'job=users'], 'team'],
  ])('routes %j to %s', async (labels, receiver) => {
    const result = await runTool('amtool', ['config', 'routes', 'test', `--config.file=${CONFIG}`, ...labels]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(receiver);
  });
});

describe('Alertmanager inhibition, on a running Alertmanager', () => {
  let alertmanager: LoopbackServer;
  let base: string;

  beforeAll(async () => {
    alertmanager = await startAlertmanager(CONFIG);
    base = alertmanager.url;
    const alert = (labels: Record<string, string>) => ({ labels, annotations: { summary: 'Test.' }, startsAt: new Date().toISOString() });
    const response = await fetch(`${base}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        alert({ alertname: 'ServiceErrorRatioHigh', severity: 'critical', job: 'users' }),
        alert({ alertname: 'ServiceErrorRatioHigh', severity: 'warning', job: 'users' }),
        alert({ alertname: 'ServiceErrorRatioHigh', severity: 'warning', job: 'frontend' }),
        alert({ alertname: 'AvailabilityErrorBudgetBurn', severity: 'critical', job: 'frontend', sli: 'availability', long: '1h', short: '5m' }),
        alert({ alertname: 'AvailabilityErrorBudgetBurn', severity: 'critical', job: 'frontend', sli: 'availability', long: '6h', short: '5m' }),
        alert({ alertname: 'AvailabilityErrorBudgetBurn', severity: 'critical', job: 'users', sli: 'availability', long: '1h', short: '5m' }),
        alert({ alertname: 'LatencyErrorBudgetBurn', severity: 'critical', job: 'users', sli: 'latency', long: '6h', short: '5m' }),
        alert({ alertname: 'AvailabilityErrorBudgetBurn', severity: 'critical', job: 'payments', sli: 'availability', long: '6h', short: '5m' }),
        alert({ alertname: 'AvailabilityErrorBudgetBurn', severity: 'warning', job: 'frontend', sli: 'availability', long: '1d', short: '2h' }),
        alert({ alertname: 'LatencyErrorBudgetBurn', severity: 'warning', job: 'frontend', sli: 'latency', long: '1d', short: '2h' }),
        alert({ alertname: 'TargetDown', severity: 'critical', job: 'thoughts', instance: '127.0.0.1:8082' }),
        alert({ alertname: 'ServiceLatencyHigh', severity: 'warning', job: 'thoughts', http_route: '/thoughts' }),
        alert({ alertname: 'AvailabilityErrorBudgetBurn', severity: 'critical', job: 'thoughts', sli: 'availability', long: '1h', short: '5m' }),
      ]),
    });
    expect(response.status).toBe(200);
  });

  afterAll(async () => {
    await alertmanager?.stop();
  });

  async function state(labels: Record<string, string>): Promise<string> {
    const filter = Object.entries(labels).map(([k, v]) => `filter=${encodeURIComponent(`${k}="${v}"`)}`).join('&');
    const alerts = (await (await fetch(`${base}/api/v2/alerts?${filter}`)).json()) as { status: { state: string; inhibitedBy: string[] } }[];
    expect(alerts).toHaveLength(1);
    return alerts[0]!.status.inhibitedBy.length > 0 ? 'inhibited' : alerts[0]!.status.state;
  }

  const cases: [Record<string, string>, string, string][] = [
    [{ alertname: 'ServiceErrorRatioHigh', severity: 'warning', job: 'users' }, 'inhibited', 'its critical twin fires'],
    [{ alertname: 'ServiceErrorRatioHigh', severity: 'critical', job: 'users' }, 'active', 'nothing silences a critical alert of a running service'],
    [{ alertname: 'ServiceErrorRatioHigh', severity: 'warning', job: 'frontend' }, 'active', 'the critical twin belongs to another service'],
    [{ alertname: 'AvailabilityErrorBudgetBurn', severity: 'warning', job: 'frontend' }, 'inhibited', 'the page of the same SLI fires'],
    [{ alertname: 'LatencyErrorBudgetBurn', severity: 'warning', job: 'frontend' }, 'active', 'a page of another SLI is not its twin'],
    [{ alertname: 'AvailabilityErrorBudgetBurn', severity: 'critical', job: 'frontend', long: '6h' }, 'inhibited', 'the fast page of the same SLI fires'],
    [{ alertname: 'AvailabilityErrorBudgetBurn', severity: 'critical', job: 'frontend', long: '1h' }, 'active', 'the fast page itself stays'],
    [{ alertname: 'LatencyErrorBudgetBurn', severity: 'critical', job: 'users', long: '6h' }, 'active', 'the fast page of another SLI is not its twin'],
    [{ alertname: 'AvailabilityErrorBudgetBurn', severity: 'critical', job: 'payments', long: '6h' }, 'active', 'the fast page belongs to another service'],
    [{ alertname: 'ServiceLatencyHigh', job: 'thoughts' }, 'inhibited', 'its service is down'],
    [{ alertname: 'AvailabilityErrorBudgetBurn', job: 'thoughts' }, 'inhibited', 'its service is down, even when critical'],
    [{ alertname: 'TargetDown', job: 'thoughts' }, 'active', 'the target-down alert itself stays'],
  ];
  it.each(cases)('%j is %s because %s', async (labels, expected) => {
    expect(await state(labels)).toBe(expected);
  });
});
