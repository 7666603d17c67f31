/**
 * The load loop: sends the mix at a steady rate (catching up after a slow tick rather than
 * drifting), keeps at most `concurrency` requests in flight, and reports progress: a summary
 * line every `everyMs`, and a line at once when the error share or outright failures change.
 */
import type { LoadOptions } from './options.ts';
import { nextRequest } from './mix.ts';
import { conditionOf, describeChange } from './report.ts';
import type { Condition } from './report.ts';
import type { MixState, PlannedRequest } from './mix.ts';
import { Stats } from './stats.ts';
import type { Outcome } from './stats.ts';

/** A running load. */
export interface LoadRun {
  /** Resolves when the load has stopped and in-flight requests have settled (or timed out). */
  done: Promise<void>;
  /** Stops sending. */
  stop(): void;
}

/** Most tokens kept from successful logins. */
const MAX_TOKENS = 8;
const REQUEST_TIMEOUT_MS = 10_000;
/** How often the error share and failures are checked for a change. */
const CHECK_MS = 5000;

/** Starts sending load; `print` receives the progress and summary lines. */
export function runLoad(options: LoadOptions, print: (line: string) => void): LoadRun {
  const state: MixState = { tokens: [] };
  const total = new Stats();
  let window = new Stats(); // since the last summary line
  let windowStart = performance.now();
  let check = new Stats(); // since the last check
  let condition: Condition = { band: 0, failures: [] };
  const start = performance.now();
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => (finish = resolve));

  print(`sending ~${options.rate} req/s to ${options.target}${bounds(options)}`);

  const send = (planned: PlannedRequest): void => {
    const promise = execute(options.target, planned).then((outcome) => {
      total.record(outcome);
      check.record(outcome);
      if (planned.action === 'login' && 'status' in outcome && outcome.status === 200 && outcome.token) {
        state.tokens = [outcome.token, ...state.tokens].slice(0, MAX_TOKENS);
      }
    });
    inFlight.add(promise);
    void promise.finally(() => inFlight.delete(promise));
  };

  let issued = 0;
  const tick = (): void => {
    const elapsed = performance.now() - start;
    if (elapsed >= options.durationMs || issued >= options.count) return stop();
    const due = Math.min(options.count, Math.floor((elapsed / 1000) * options.rate) + 1);
    for (; issued < due; issued++) {
      if (inFlight.size >= options.concurrency) {
        total.skipped += 1;
        check.skipped += 1;
        continue;
      }
      send(nextRequest(state));
    }
  };
  const ticker = setInterval(tick, Math.max(10, Math.min(100, 1000 / options.rate)));
  const summary = (prefix: string): void => {
    const now = performance.now();
    print(`${prefix}${window.line((now - windowStart) / 1000)}`);
    window = new Stats();
    windowStart = now;
  };
  const checkMs = Math.min(CHECK_MS, options.everyMs);
  const progress = setInterval(
    () => {
      window.merge(check);
      const now = check.sent > 0 ? conditionOf(check) : condition;
      check = new Stats();
      const change = describeChange(condition, now);
      condition = now;
      if (change !== undefined) summary(`${change}: `);
      else if (performance.now() - windowStart >= options.everyMs - checkMs / 2) summary('');
    },
    checkMs,
  );
  tick();

  function stop(): void {
    if (stopped) return;
    stopped = true;
    clearInterval(ticker);
    clearInterval(progress);
    void Promise.all([...inFlight]).then(() => {
      print(`done: ${total.sent} requests in ${((performance.now() - start) / 1000).toFixed(1)}s  ${total.line((performance.now() - start) / 1000)}`);
      finish();
    });
  }

  return { done: finished, stop };
}

function bounds(options: LoadOptions): string {
  const parts: string[] = [];
  if (Number.isFinite(options.durationMs)) parts.push(`for ${options.durationMs / 1000}s`);
  if (Number.isFinite(options.count)) parts.push(`at most ${options.count} requests`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : ' (until stopped)';
}

/** Sends one planned request; never throws (failures become outcomes). */
async function execute(target: string, planned: PlannedRequest): Promise<Outcome & { token?: string }> {
  const began = performance.now();
  const headers: Record<string, string> = { 'user-agent': 'periscope-loadgen', ...planned.headers };
  if (planned.body !== undefined) headers['content-type'] = 'application/json';
  try {
    const response = await fetch(target + planned.path, {
      method: planned.method,
      headers,
      body: planned.body === undefined ? undefined : JSON.stringify(planned.body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    let token: string | undefined;
    if (planned.action === 'login' && response.ok) token = (JSON.parse(text) as { token?: string }).token;
    return { status: response.status, ms: performance.now() - began, token };
  } catch (err) {
    const reason = (err as Error).name === 'TimeoutError' ? 'timeouts' : 'refused';
    return { failed: reason, ms: performance.now() - began };
  }
}
