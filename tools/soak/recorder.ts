/**
 * What the soak records per phase while it runs: the steady requests' outcomes and latencies,
 * the services' metric snapshots (memory, event-loop delay, series), notes and measured values.
 */
import type { Outcome } from './load.ts';
import type { Snapshot } from './metrics.ts';
import type { SoakService } from './services.ts';
import { percentile, round } from './stats.ts';

/** The raw record of one phase. */
export interface PhaseRecord {
  key: string;
  fault: string;
  warmup: boolean;
  outage: boolean;
  startedAt: number;
  endedAt: number;
  /** Latencies (ms) of the steady requests answered as expected. */
  latencies: number[];
  sent: number;
  ok: number;
  /** Failures no fault excuses: a request that failed because of telemetry, or a bug. */
  failed: number;
  /** Failures of requests through a service that the phase killed on purpose. */
  excused: number;
  failures: string[];
  snapshots: Partial<Record<SoakService, Snapshot[]>>;
  notes: string[];
  measures: Record<string, number | string | boolean>;
}

/** A new, empty phase record. */
export function newPhase(key: string, fault: string, warmup: boolean, outage: boolean): PhaseRecord {
  return { key, fault, warmup, outage, startedAt: Date.now(), endedAt: 0, latencies: [], sent: 0, ok: 0, failed: 0, excused: 0, failures: [], snapshots: {}, notes: [], measures: {} };
}

/** Records one steady request in `phase`; its failure is excused when it went through `down`. */
export function recordOutcome(phase: PhaseRecord, outcome: Outcome, down: SoakService | undefined): void {
  phase.sent++;
  if (outcome.ok) {
    phase.ok++;
    phase.latencies.push(outcome.ms);
    return;
  }
  if (down !== undefined && outcome.kind.via.includes(down)) {
    phase.excused++;
    return;
  }
  phase.failed++;
  if (phase.failures.length < 10) phase.failures.push(`${outcome.kind.name} ${outcome.requestId}: ${outcome.why}`);
}

/** Adds a metrics snapshot of `service` to `phase`. */
export function recordSnapshot(phase: PhaseRecord, service: SoakService, snapshot: Snapshot): void {
  (phase.snapshots[service] ??= []).push(snapshot);
}

/** One service's memory and event loop over a phase. */
export interface ServicePhaseSummary {
  rssStartMiB: number;
  rssEndMiB: number;
  heapStartMiB: number;
  heapEndMiB: number;
  /**
   * Where RSS sits at the phase's end: V8's committed heap and the memory held outside it
   * (Buffers, ArrayBuffers), so that a step in RSS says whose memory it is.
   */
  heapTotalEndMiB: number;
  externalEndMiB: number;
  eventLoopP99MaxMs: number;
  seriesStart: number;
  seriesEnd: number;
  /** In-flight requests at the phase's last snapshot (a leak if it stays above 0 with no load). */
  activeEnd: number;
}

/** A phase as the report shows it. */
export interface PhaseSummary {
  key: string;
  fault: string;
  seconds: number;
  requests: number;
  throughputRps: number;
  p50Ms: number;
  p99Ms: number;
  failed: number;
  excused: number;
  failures: string[];
  services: Partial<Record<SoakService, ServicePhaseSummary>>;
  notes: string[];
  measures: Record<string, number | string | boolean>;
}

const MiB = 1024 * 1024;

/** Summarises a phase record. */
export function summarise(phase: PhaseRecord): PhaseSummary {
  const seconds = (phase.endedAt - phase.startedAt) / 1000;
  const services: Partial<Record<SoakService, ServicePhaseSummary>> = {};
  for (const [service, snaps] of Object.entries(phase.snapshots) as Array<[SoakService, Snapshot[]]>) {
    const first = snaps[0]!;
    const last = snaps[snaps.length - 1]!;
    services[service] = {
      rssStartMiB: round(first.rssBytes / MiB),
      rssEndMiB: round(last.rssBytes / MiB),
      heapStartMiB: round(first.heapUsedBytes / MiB),
      heapEndMiB: round(last.heapUsedBytes / MiB),
      heapTotalEndMiB: round(last.heapTotalBytes / MiB),
      externalEndMiB: round(last.externalBytes / MiB),
      eventLoopP99MaxMs: round(Math.max(...snaps.map((s) => s.eventLoopP99Seconds)) * 1000),
      seriesStart: first.series,
      seriesEnd: last.series,
      activeEnd: last.activeRequests,
    };
  }
  return {
    key: phase.key,
    fault: phase.fault,
    seconds: round(seconds),
    requests: phase.sent,
    throughputRps: round(phase.ok / Math.max(seconds, 0.001)),
    p50Ms: round(percentile(phase.latencies, 50)),
    p99Ms: round(percentile(phase.latencies, 99)),
    failed: phase.failed,
    excused: phase.excused,
    failures: phase.failures,
    services,
    notes: phase.notes,
    measures: phase.measures,
  };
}
