/**
 * Alerts end to end, one fault per stack, the six stacks side by side: 50 % errors, 800 ms of
 * latency and a 200 ms event-loop block in the demo's users, thoughts stopped, and 50 % errors
 * and 800 ms of latency in `checkout`, a service outside the demo that the test starts beside a
 * healthy neighbour (`inventory`) and that Prometheus finds by the discovery convention, held to
 * the default objectives. Each must page the service at fault (its `service` label), once (one
 * page group), within its bound, with a runbook link to its own section, served by the demo's
 * receiver; nothing else may page; and after the fault is cleared the page must resolve within 6
 * minutes, with a notification that says resolved and names what resolved, and no alert of any
 * severity may still fire. See scenario.ts for what runs; the measured times go to
 * alerts/README.md.
 *
 *   npm run test:e2e        (about 10 minutes: the shipped windows and for: run in real time)
 */
import { afterAll, describe, expect, it } from 'vitest';
import { formatNotification } from '@periscope-demo/launcher';
import type { ServiceName } from '@periscope-demo/shared';
import { runScenario } from './scenario.ts';
import type { Fault, OutsideServices, ScenarioResult } from './scenario.ts';
import { RUNBOOKS_DIR, runbookLinkProblem } from '../lib/runbooks.ts';

const LOAD_RATE = 10;
/** Clean requests per second per job in the history, close to what the load above gives each. */
const HISTORY_RATES: Record<ServiceName, number> = { frontend: 8.5, thoughts: 7, users: 2.5 };
const MINUTE = 60_000;

/** checkout fails or slows down; inventory, beside it, stays healthy. */
const OUTSIDE: OutsideServices = { faulty: 'checkout', neighbour: 'inventory', perSecond: 5 };

interface Case {
  readonly name: string;
  readonly service: string;
  readonly fault: Fault;
  readonly outside?: OutsideServices;
  /** Alerts allowed in the page (the first one to fire is one of them). */
  readonly alerts: readonly string[];
  readonly pageWithinMs: number;
}

const CASES: readonly Case[] = [
  { name: 'errors', service: 'users', fault: { kind: 'switch', change: { errorRate: 0.5 } }, alerts: ['AvailabilityErrorBudgetBurn'], pageWithinMs: 2 * MINUTE },
  { name: 'latency', service: 'users', fault: { kind: 'switch', change: { latency: '800ms' } }, alerts: ['LatencyErrorBudgetBurn'], pageWithinMs: 5.5 * MINUTE },
  { name: 'block', service: 'users', fault: { kind: 'switch', change: { blockMs: 200 } }, alerts: ['NodejsEventLoopLagHigh', 'LatencyErrorBudgetBurn'], pageWithinMs: 3 * MINUTE },
  { name: 'stopped', service: 'thoughts', fault: { kind: 'stop' }, alerts: ['TargetDown'], pageWithinMs: 2 * MINUTE },
  { name: 'outside-errors', service: 'checkout', fault: { kind: 'mix', mix: { failShare: 0.5 } }, outside: OUTSIDE, alerts: ['AvailabilityErrorBudgetBurn'], pageWithinMs: 2 * MINUTE },
  { name: 'outside-latency', service: 'checkout', fault: { kind: 'mix', mix: { slowShare: 1, slowMs: 800 } }, outside: OUTSIDE, alerts: ['LatencyErrorBudgetBurn'], pageWithinMs: 5 * MINUTE },
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
      // the demo's services run for the outside cases too, without load: neighbours that must stay quiet
      loadRate: c.outside ? 0 : LOAD_RATE,
      historyRates: HISTORY_RATES,
      ...(c.outside ? { outside: c.outside } : {}),
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
      // the link opens on this machine: the demo's receiver serves the runbooks
      const link = alert.annotations.runbook_url ?? '';
      const base = /^http:\/\/127\.0\.0\.1:\d+\/runbooks\//.exec(link)?.[0] ?? 'http://127.0.0.1/runbooks/';
      expect(runbookLinkProblem(link, RUNBOOKS_DIR, base)).toBeUndefined();
      expect(link).toMatch(new RegExp(`#${alert.labels.alertname!.toLowerCase()}$`));
    }
    expect(result.pageMs).toBeLessThanOrEqual(c.pageWithinMs);

    // One page: every paging notification belongs to the one group of that service.
    expect(new Set(result.paging.map((n) => n.groupKey)).size).toBe(1);
    expect(result.paging.flatMap((n) => n.alerts.map((a) => a.labels.service))).toEqual(result.paging.flatMap((n) => n.alerts.map(() => c.service)));

    // It resolves within 6 minutes, and the last word is "resolved".
    expect(result.resolveMs).toBeLessThanOrEqual(6 * MINUTE);
    expect(result.paging.at(-1)!.status).toBe('resolved');
    expect(result.paging.at(-1)!.alerts.every((a) => a.status === 'resolved')).toBe(true);
    // The receiver's line for the resolve names the alert that paged.
    expect(formatNotification(result.resolved)).toMatch(new RegExp(`RESOLVED ${result.paged[0]!.labels.alertname}\\b`));
    expect(result.stillFiring).toEqual([]);
  }, 16 * MINUTE);
});
