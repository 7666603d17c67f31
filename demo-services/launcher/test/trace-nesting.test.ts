// The demo's traces nest: over more than a thousand requests through the frontend, users and
// thoughts (three processes, each with its own clock), no child span starts before its parent or
// ends after it. Spans are read back from the services' span files as the `periscope` command
// reads them.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spansOf } from '@periscope/cli';
import type { OtlpRequest, SpanRecord } from '@periscope/cli';
import { SERVICE_NAMES } from '../../shared/src/topology.ts';
import type { Stack } from '../src/stack.ts';
import { startServices } from './helpers.ts';

const WANTED_TRACES = 1_000;
let dir: string | undefined;
let stack: Stack | undefined;

afterAll(async () => {
  await stack?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function readSpans(stack: Stack): SpanRecord[] {
  return SERVICE_NAMES.flatMap((name) => {
    const text = (() => {
      try {
        return readFileSync(stack.spansFile(name), 'utf8');
      } catch {
        return '';
      }
    })();
    return text.split('\n').filter((line) => line.trim() !== '').flatMap((line) => spansOf(JSON.parse(line) as OtlpRequest));
  });
}

describe('the demo\'s traces', () => {
  it(`never have a child span outside its parent, over ${WANTED_TRACES} traces or more`, async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'periscope-nesting-'));
    stack = await startServices(path.join(dir, 'state'), 60);
    // 60 requests a second: about 25 s for the traces wanted, and the spans' batches flushed at stop
    await new Promise((resolve) => setTimeout(resolve, 25_000));
    const running = stack;
    await running.stop();
    const spans = readSpans(running);
    const byId = new Map(spans.map((s) => [`${s.traceId}/${s.spanId}`, s]));
    const traces = new Set(spans.filter((s) => s.parentSpanId === undefined).map((s) => s.traceId));
    const outside: string[] = [];
    let pairs = 0;
    for (const child of spans) {
      const parent = child.parentSpanId === undefined ? undefined : byId.get(`${child.traceId}/${child.parentSpanId}`);
      if (!parent) continue;
      pairs += 1;
      if (child.startNs < parent.startNs || child.endNs > parent.endNs) {
        outside.push(`${child.service} ${child.name} in ${parent.service} ${parent.name}: starts ${child.startNs - parent.startNs} ns after, ends ${parent.endNs - child.endNs} ns before`);
      }
    }
    expect(traces.size).toBeGreaterThanOrEqual(WANTED_TRACES);
    expect(pairs).toBeGreaterThan(traces.size);
    expect(outside.slice(0, 10)).toEqual([]);
  }, 90_000);
});
