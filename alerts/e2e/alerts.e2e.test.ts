/**
 * Alerts end to end on the demo, one fault per stack, the four stacks side by side: 50 % errors,
 * 800 ms of latency and a 200 ms event-loop block in users, and thoughts stopped. Each must page
 * the service at fault (its `service` label), once (one page group), within its bound, with a
 * runbook link to its own section; nothing else may page; and after the fault is cleared the page
 * must resolve within 6 minutes, with a notification that says resolved, and no alert of any
 * severity may still fire. See scenario.ts for what runs; the measured times go to
 * alerts/README.md.
 *
 *   npm run test:e2e        (about 8 minutes: the shipped windows and for: run in real time)
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runScenario } from './scenario.ts';
import type { Fault, ScenarioResult } from './scenario.ts';
import type { ServiceName } from '@periscope-demo/shared';
import { runbookLinkProblem } from '../lib/runbooks.ts';

const LOAD_RATE = 10;
/** Clean requests per second per job in the history, close to what the load above gives each. */
const HISTORY_RATES: Record<ServiceName, number> = { frontend: 8.5, thoughts: 7, users: 2.5 };
const MINUTE = 60_000;

interface Case {
  readonly name: string;
  readonly service: ServiceName;
  readonly fault: Fault;
  /** Alerts allowed in the page (the first one to fire is one of them). */
  readonly alerts: readonly string[];
  readonly pageWithinMs: number;
}

const CASES: readonly Case[] = [
  { name: 'errors', service: 'users', fault: { kind: 'switch', change: { errorRate: 0.5 } }, alerts: ['AvailabilityErrorBudgetBurn'], pageWithinMs: 2 * MINUTE },
  { name: 'latency', service: 'users', fault: { kind: 'switch', change: { latency: '800ms' } }, alerts: ['LatencyErrorBudgetBurn'], pageWithinMs: 5.5 * MINUTE },
  { name: 'block', service: 'users', fault: { kind: 'switch', change: { blockMs: 200 } }, alerts: ['NodejsEventLoopLagHigh', 'LatencyErrorBudgetBurn'], pageWithinMs: 3 * MINUTE },
  { name: 'stopped', service: 'thoughts', fault: { kind: 'stop' }, alerts: ['TargetDown'], pageWithinMs: 2 * MINUTE },
];

const results: ScenarioResult[] = [];

describe.concurrent('alerts end to end: one fault, one page naming the service at fault, resolved within minutes', () => {
  afterAll(() => {
    const rows = results.map((r) => `${r.name}: page ${(r.pageMs / 1000).toFixed(0)} s (${r.paged.map((a) => a.labels.alertname).join(', ')}), resolved ${(r.resolveMs / 1000).toFixed(0)} s after clearing; fired in Prometheus: ${r.firedInPrometheus.join(' ') || 'nothing else'}`);
    console.log(['measured:', ...rows].join('\n  '));
  });

  it.each(CASES)('$name in $service pages $service alone, within its bound, and resolves within 6 minutes', async (c) => {
    const result = await runScenario({
      name: c.name,
      service: c.service,
      fault: c.fault,
      loadRate: LOAD_RATE,
      historyRates: HISTORY_RATES,
      warmupMs: 30_000,
      pageTimeoutMs: c.pageWithinMs + MINUTE,
      resolveTimeoutMs: 7 * MINUTE,
      log: (line) => console.log(line),
    });
    results.push(result);

    // Nothing was notified before the fault (three days of clean history, 30 s of clean traffic).
    expect(result.beforeFault).toEqual([]);

    // The page names the service at fault, with a critical alert it expects and its runbook.
    expect(result.paged.length).toBeGreaterThan(0);
    for (const alert of result.paged) {
      expect(alert.labels.service).toBe(c.service);
      expect(alert.labels.severity).toBe('critical');
      expect(c.alerts).toContain(alert.labels.alertname);
      expect(runbookLinkProblem(alert.annotations.runbook_url ?? '')).toBeUndefined();
      expect(alert.annotations.runbook_url).toMatch(new RegExp(`#${alert.labels.alertname!.toLowerCase()}$`));
    }
    expect(result.pageMs).toBeLessThanOrEqual(c.pageWithinMs);

    // One page: every paging notification belongs to the one group of that service.
    expect(new Set(result.paging.map((n) => n.groupKey)).size).toBe(1);
    expect(result.paging.flatMap((n) => n.alerts.map((a) => a.labels.service))).toEqual(result.paging.flatMap((n) => n.alerts.map(() => c.service)));

    // It resolves within 6 minutes, and the last word is "resolved".
    expect(result.resolveMs).toBeLessThanOrEqual(6 * MINUTE);
    expect(result.paging.at(-1)!.status).toBe('resolved');
    expect(result.paging.at(-1)!.alerts.every((a) => a.status === 'resolved')).toBe(true);
    expect(result.stillFiring).toEqual([]);
  }, 16 * MINUTE);
});
