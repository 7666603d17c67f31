/**
 * The demo's disk budget: how the total cap on `.periscope/` (default 200 MiB) is split between
 * Prometheus' TSDB, the services' log and spans files (rotated by `@periscope/instrument`) and the
 * output files the launcher writes for the other processes (rotated by capped-file.ts).
 *
 *   budget 200 MiB → Prometheus 100 MiB (--storage.tsdb.retention.size)
 *                    3 services × 2 outputs × 3 files × 3.89 MiB ≈ 70 MiB
 *                    4 process outputs × 3 files × 0.83 MiB ≈ 10 MiB
 *                    reserve ≈ 20 MiB (Alertmanager's data, configs, stack.json, overshoot)
 */
import { ENV } from '@periscope/instrument/contract';

const MIB = 1024 * 1024;

/** Variable that sets the total, in MiB. */
export const FOOTPRINT_ENV = 'PERISCOPE_DEMO_MAX_MB';
/** Default total, in MiB. */
export const DEFAULT_FOOTPRINT_MB = 200;
/** Smallest total accepted, in MiB (below it the shares get too small to hold an hour of anything). */
export const MIN_FOOTPRINT_MB = 20;

/** Shares of the total. What is left is the reserve. */
export const SHARES = Object.freeze({ prometheus: 0.5, serviceFiles: 0.35, processFiles: 0.05 });
/** Rotated files kept per output: each output is its current file plus this many. */
export const ROTATED_FILES = 2;
/** Outputs the services write: a log file and a spans file each. */
export const SERVICE_OUTPUTS_PER_SERVICE = 2;

/** A size cap of one rotated output. */
export interface FileCap {
  /** Rotate before a write would take the current file past this size. */
  maxBytes: number;
  /** Rotated files kept (`.1` … `.maxFiles`). */
  maxFiles: number;
}

/** The budget of one run, in bytes. */
export interface Footprint {
  totalBytes: number;
  /** Prometheus' `--storage.tsdb.retention.size`. */
  prometheusBytes: number;
  /** Cap of each of a service's outputs (log file, spans file). */
  serviceFile: FileCap;
  /** Cap of each output file the launcher writes (loadgen, Prometheus, Alertmanager, node exporter). */
  processFile: FileCap;
  /** What the shares leave for everything else. */
  reserveBytes: number;
}

/** Disk taken at most by one output with `cap`: its current file and the rotated ones. */
export const outputBytes = (cap: FileCap): number => cap.maxBytes * (cap.maxFiles + 1);

/**
 * Splits `totalMb` MiB between `services` services (two outputs each) and `processOutputs`
 * launcher-written outputs. Throws `Error` naming the value when it is not a number ≥ 20.
 */
export function planFootprint(totalMb: number, services: number, processOutputs: number): Footprint {
  if (!Number.isFinite(totalMb) || totalMb < MIN_FOOTPRINT_MB) {
    throw new Error(`the demo's disk budget must be a number of MiB of at least ${MIN_FOOTPRINT_MB}, got ${JSON.stringify(totalMb)}`);
  }
  const totalBytes = Math.floor(totalMb * MIB);
  const files = ROTATED_FILES + 1;
  const cap = (share: number, outputs: number): FileCap => ({
    maxBytes: Math.floor((totalBytes * share) / Math.max(1, outputs) / files),
    maxFiles: ROTATED_FILES,
  });
  const prometheusBytes = Math.floor(totalBytes * SHARES.prometheus);
  const serviceFile = cap(SHARES.serviceFiles, services * SERVICE_OUTPUTS_PER_SERVICE);
  const processFile = cap(SHARES.processFiles, processOutputs);
  const used = prometheusBytes + services * SERVICE_OUTPUTS_PER_SERVICE * outputBytes(serviceFile) + processOutputs * outputBytes(processFile);
  return { totalBytes, prometheusBytes, serviceFile, processFile, reserveBytes: totalBytes - used };
}

/** The total from `--max-disk`, else `PERISCOPE_DEMO_MAX_MB`, else 200; e.g. "200", "1GB" or "500MB". */
export function footprintMb(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): number {
  const raw = flag ?? env[FOOTPRINT_ENV];
  if (raw === undefined || raw.trim() === '') return DEFAULT_FOOTPRINT_MB;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(MB|MiB|GB|GiB)?\s*$/i.exec(raw);
  if (!match) throw new Error(`the demo's disk budget must be a size like 200, 200MB or 1GB (MiB, GiB), got "${raw}"`);
  return Number(match[1]) * (/^g/i.test(match[2] ?? '') ? 1024 : 1);
}

/** The environment that makes `@periscope/instrument` rotate a service's files at `cap`. */
export function rotationEnv(cap: FileCap): Record<string, string> {
  return { [ENV.fileMaxBytes]: String(cap.maxBytes), [ENV.fileMaxFiles]: String(cap.maxFiles) };
}

/** Prometheus' `--storage.tsdb.retention.size` value (its MB are MiB), rounded down to whole MiB. */
export function retentionSizeFlag(bytes: number): string {
  return `--storage.tsdb.retention.size=${Math.max(1, Math.floor(bytes / MIB))}MB`;
}
