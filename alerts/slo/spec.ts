/**
 * The SLO spec: its shape, the one place it is validated, and the spec this repo ships, read from
 * the demo's topology (demo-services/shared/src/topology.ts: each service's objectives).
 * A bad spec fails here with a message that names the entry, the field, the value received
 * and what was expected.
 */
import { parse } from 'yaml';
import { DURATION_BUCKETS } from '@periscope/instrument/contract';
import { SERVICE_NAMES, SERVICES, SLO_WINDOW } from '../../demo-services/shared/src/topology.ts';
import { parseDuration } from '@periscope/stack';

/** The service level indicators the generator knows how to measure. */
export const SLIS = ['availability', 'latency'] as const;
export type Sli = (typeof SLIS)[number];

/** One objective: a service, what is measured, and the share of good requests required. */
export interface Objective {
  readonly service: string;
  readonly sli: Sli;
  /** Target share of good requests, in percent (e.g. 99.9). */
  readonly objective: number;
  /** Latency SLI only: a request is good when it took at most this many seconds. */
  readonly threshold?: number;
}

export interface SloSpec {
  /** The compliance window, as a Prometheus duration (e.g. "30d"). */
  readonly window: string;
  readonly objectives: readonly Objective[];
}

const SERVICE = /^[a-z][a-z0-9_-]*$/;

function fail(where: string, field: string, value: unknown, expected: string): never {
  throw new Error(`${where}: invalid ${field} ${JSON.stringify(value)} - expected ${expected}`);
}

function parseObjective(raw: unknown, index: number): Objective {
  const where = `objectives[${index}]`;
  if (typeof raw !== 'object' || raw === null) fail(where, 'entry', raw, 'a mapping');
  const entry = raw as Record<string, unknown>;
  const known = new Set(['service', 'sli', 'objective', 'threshold']);
  for (const key of Object.keys(entry)) if (!known.has(key)) fail(where, 'key', key, [...known].join(', '));
  const { service, sli, objective, threshold } = entry;
  if (typeof service !== 'string' || !SERVICE.test(service)) fail(where, 'service', service, 'a job name like "users"');
  if (!SLIS.includes(sli as Sli)) fail(where, 'sli', sli, SLIS.join(' or '));
  if (typeof objective !== 'number' || !(objective > 0 && objective < 100)) {
    fail(where, 'objective', objective, 'a percentage between 0 and 100, exclusive');
  }
  if (sli === 'latency') {
    if (typeof threshold !== 'number' || !DURATION_BUCKETS.includes(threshold)) {
      fail(where, 'threshold', threshold, `a histogram bucket boundary in seconds (${DURATION_BUCKETS.join(', ')})`);
    }
    return { service, sli, objective, threshold };
  }
  if (threshold !== undefined) fail(where, 'threshold', threshold, 'no threshold for an availability SLI');
  return { service, sli: sli as Sli, objective };
}

/** Parses and validates the text of a spec file (YAML: `window`, `objectives`). */
export function parseSpec(text: string): SloSpec {
  return validateSpec(parse(text));
}

/** The spec of the demo: every service's availability and latency objectives, callers first. */
export function topologySpec(): SloSpec {
  const objectives = [...SERVICE_NAMES].reverse().flatMap((service) => {
    const { availability, latency } = SERVICES[service].slo;
    return [
      { service, sli: 'availability', objective: availability },
      { service, sli: 'latency', objective: latency.objective, threshold: latency.threshold },
    ];
  });
  return validateSpec({ window: SLO_WINDOW, objectives });
}

/** Validates a parsed spec. */
export function validateSpec(raw: unknown): SloSpec {
  if (typeof raw !== 'object' || raw === null) fail('spec', 'document', raw, 'a mapping');
  const { window, objectives } = raw as Record<string, unknown>;
  if (typeof window !== 'string') fail('spec', 'window', window, 'a duration such as "30d"');
  if (!/^\d+[dw]$/.test(window) || parseDuration(window) < 7 * 86_400) {
    fail('spec', 'window', window, 'whole days or weeks, at least "7d" (the burn-rate pairs span up to 3 days)');
  }
  if (!Array.isArray(objectives) || objectives.length === 0) fail('spec', 'objectives', objectives, 'a non-empty list');
  const parsed = objectives.map(parseObjective);
  const seen = new Set<string>();
  for (const { service, sli } of parsed) {
    const key = `${service}/${sli}`;
    if (seen.has(key)) fail('spec', 'objectives', key, 'one entry per service and SLI');
    seen.add(key);
  }
  return { window, objectives: parsed };
}
