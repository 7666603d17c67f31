/**
 * A team's service level objectives, read from OpenSLO v1 documents (https://openslo.com): one
 * `kind: SLO` document per service and indicator. Periscope measures two indicators from the
 * telemetry contract, so an SLO names one of them by `indicatorRef` instead of carrying queries:
 *
 *   apiVersion: openslo/v1
 *   kind: SLO
 *   metadata: { name: checkout-latency }
 *   spec:
 *     service: checkout                  # the Prometheus job of the service
 *     indicatorRef: periscope-latency    # or periscope-availability
 *     budgetingMethod: Occurrences
 *     timeWindow: [{ duration: 30d, isRolling: true }]
 *     objectives: [{ op: lte, value: 0.25, target: 0.99 }]   # value: seconds, a bucket boundary
 *
 * `kind: Service` documents are accepted and not read. Anything else fails with an error that
 * names the file, the document, the field, the value received and what was expected.
 */
import { parseAllDocuments } from 'yaml';
import { DURATION_BUCKETS } from '@periscope/instrument/contract';
import { SLO_WINDOW } from '@periscope/stack';
import type { Sli } from '@periscope/stack';

/** The `indicatorRef` of each indicator Periscope measures. */
export const INDICATORS: Readonly<Record<string, Sli>> = Object.freeze({
  'periscope-availability': 'availability',
  'periscope-latency': 'latency',
});

/** One declared objective: a service, an indicator and the share of good requests required. */
export interface DeclaredObjective {
  /** The SLO's `metadata.name`. */
  readonly name: string;
  /** The Prometheus job of the service. */
  readonly service: string;
  readonly sli: Sli;
  /** Share of good requests required, as a ratio (0.999). */
  readonly target: number;
  /** Latency only: a request is good when it took at most this many seconds. */
  readonly threshold?: number;
  /** Where it was declared, for messages: `<file>: document <n>`. */
  readonly source: string;
}

/** A spec that cannot be used; `message` names the file, document, field and value. */
export class SloSpecError extends Error {
  readonly code = 'PERISCOPE_SLO_SPEC_INVALID';
  override readonly name = 'SloSpecError';
}

const NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const JOB = /^[A-Za-z0-9_][A-Za-z0-9_.:-]*$/;

type Raw = Record<string, unknown>;

function isMapping(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads one document's fields, failing with the document's place in every message. */
class DocumentReader {
  constructor(private readonly where: string) {}

  fail(field: string, value: unknown, expected: string): never {
    const shown = value === undefined ? 'nothing' : JSON.stringify(value);
    throw new SloSpecError(`${this.where}: ${field}: got ${shown} - expected ${expected}`);
  }

  mapping(value: unknown, field: string): Raw {
    if (!isMapping(value)) this.fail(field, value, 'a mapping');
    return value;
  }

  onlyKeys(value: Raw, field: string, known: readonly string[]): void {
    for (const key of Object.keys(value)) {
      if (!known.includes(key)) this.fail(`${field}.${key}`, key, `one of the keys ${known.join(', ')}`);
    }
  }
}

function readTimeWindow(doc: DocumentReader, value: unknown): void {
  const field = 'spec.timeWindow';
  const expected = `[{ duration: ${SLO_WINDOW}, isRolling: true }] (Periscope's burn-rate alerts are set for a rolling ${SLO_WINDOW} window)`;
  if (value === undefined) return; // the stack's window
  if (!Array.isArray(value) || value.length !== 1) doc.fail(field, value, expected);
  const window = doc.mapping(value[0], `${field}[0]`);
  doc.onlyKeys(window, `${field}[0]`, ['duration', 'isRolling']);
  if (window.duration !== SLO_WINDOW) doc.fail(`${field}[0].duration`, window.duration, `"${SLO_WINDOW}"`);
  if (window.isRolling !== true) doc.fail(`${field}[0].isRolling`, window.isRolling, 'true');
}

function readTarget(doc: DocumentReader, objective: Raw, field: string): number {
  const { target, targetPercent } = objective;
  if (target !== undefined && targetPercent !== undefined) doc.fail(`${field}.targetPercent`, targetPercent, 'target or targetPercent, not both');
  if (targetPercent !== undefined) {
    if (typeof targetPercent !== 'number' || !(targetPercent > 0 && targetPercent < 100)) {
      doc.fail(`${field}.targetPercent`, targetPercent, 'a percentage between 0 and 100, exclusive (e.g. 99.9)');
    }
    return Number((targetPercent / 100).toPrecision(10));
  }
  if (typeof target !== 'number' || !(target > 0 && target < 1)) doc.fail(`${field}.target`, target, 'a ratio between 0 and 1, exclusive (e.g. 0.999)');
  return target;
}

function readObjective(doc: DocumentReader, value: unknown, sli: Sli): { target: number; threshold?: number } {
  const field = 'spec.objectives';
  if (!Array.isArray(value) || value.length !== 1) doc.fail(field, value, 'a list of exactly one objective');
  const where = `${field}[0]`;
  const objective = doc.mapping(value[0], where);
  doc.onlyKeys(objective, where, ['displayName', 'target', 'targetPercent', 'op', 'value']);
  const target = readTarget(doc, objective, where);
  if (sli === 'availability') {
    if (objective.op !== undefined) doc.fail(`${where}.op`, objective.op, 'no op for periscope-availability');
    if (objective.value !== undefined) doc.fail(`${where}.value`, objective.value, 'no value for periscope-availability');
    return { target };
  }
  if (objective.op !== 'lte') doc.fail(`${where}.op`, objective.op, '"lte" (a request is good when it took at most `value` seconds)');
  const threshold = objective.value;
  if (typeof threshold !== 'number' || !DURATION_BUCKETS.includes(threshold)) {
    doc.fail(`${where}.value`, threshold, `a bucket boundary of the duration histogram, in seconds (${DURATION_BUCKETS.join(', ')})`);
  }
  return { target, threshold };
}

function readSlo(doc: DocumentReader, raw: Raw, source: string): DeclaredObjective {
  doc.onlyKeys(raw, 'document', ['apiVersion', 'kind', 'metadata', 'spec']);
  const metadata = doc.mapping(raw.metadata, 'metadata');
  const name = metadata.name;
  if (typeof name !== 'string' || !NAME.test(name)) doc.fail('metadata.name', name, 'a lower-case name of letters, digits and "-" (e.g. checkout-availability)');
  const spec = doc.mapping(raw.spec, 'spec');
  doc.onlyKeys(spec, 'spec', ['description', 'service', 'indicatorRef', 'budgetingMethod', 'timeWindow', 'objectives']);
  const { service, indicatorRef, budgetingMethod } = spec;
  if (typeof service !== 'string' || !JOB.test(service)) doc.fail('spec.service', service, 'the Prometheus job of the service (e.g. checkout)');
  const sli = typeof indicatorRef === 'string' ? INDICATORS[indicatorRef] : undefined;
  if (sli === undefined) doc.fail('spec.indicatorRef', indicatorRef, `${Object.keys(INDICATORS).join(' or ')} (the indicators Periscope measures from its metrics)`);
  if (budgetingMethod !== 'Occurrences') doc.fail('spec.budgetingMethod', budgetingMethod, '"Occurrences" (the budget counts bad requests)');
  readTimeWindow(doc, spec.timeWindow);
  const { target, threshold } = readObjective(doc, spec.objectives, sli);
  return { name, service, sli, target, ...(threshold === undefined ? {} : { threshold }), source };
}

/**
 * Reads the SLOs of one file's text (one or more YAML documents). `file` names the file in
 * messages. Throws {@link SloSpecError}.
 */
export function parseOpenSlo(text: string, file: string): DeclaredObjective[] {
  const objectives: DeclaredObjective[] = [];
  const documents = parseAllDocuments(text);
  if (!Array.isArray(documents)) throw new SloSpecError(`${file}: not YAML documents`);
  documents.forEach((document, index) => {
    const where = `${file}: document ${index + 1}`;
    const doc = new DocumentReader(where);
    if (document.errors.length > 0) throw new SloSpecError(`${where}: ${document.errors[0]!.message.split('\n')[0]}`);
    const raw: unknown = document.toJS();
    if (raw === null || raw === undefined) return; // an empty document (e.g. after a trailing ---)
    const mapping = doc.mapping(raw, 'document');
    if (mapping.apiVersion !== 'openslo/v1') doc.fail('apiVersion', mapping.apiVersion, '"openslo/v1"');
    if (mapping.kind === 'Service') return;
    if (mapping.kind !== 'SLO') doc.fail('kind', mapping.kind, '"SLO" (or "Service", which is not read)');
    objectives.push(readSlo(doc, mapping, where));
  });
  return objectives;
}

/** Checks that no service declares the same indicator twice (across every file read). */
export function checkUnique(objectives: readonly DeclaredObjective[]): void {
  const seen = new Map<string, DeclaredObjective>();
  for (const objective of objectives) {
    const key = `${objective.service}/${objective.sli}`;
    const earlier = seen.get(key);
    if (earlier) {
      throw new SloSpecError(`${objective.source}: spec.service: got "${objective.service}" - expected one ${objective.sli} SLO per service, and ${earlier.source} (${earlier.name}) declares one already`);
    }
    seen.set(key, objective);
  }
}
