/**
 * A test overlay of the shipped alert rules: the same files, the same expressions, labels and
 * annotations, evaluated every `evaluationInterval` and with every `for:` cut to at most
 * `maxFor`, so an end-to-end test sees an alert fire in seconds instead of minutes.
 *
 *   const overlay = createTestOverlay({ evaluationInterval: '1s', maxFor: '5s' });
 *   // start Prometheus with rule_files: overlay.ruleFiles and evaluation_interval: overlay.evaluationInterval
 *   overlay.remove();
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { stringify } from 'yaml';
import { formatDuration, parseDuration } from '@periscope/stack';
import { readRuleFile, ruleFilePaths } from '../lib/rules.ts';
import type { RuleFile } from '../lib/rules.ts';

export interface TestOverlayOptions {
  /** Rule files to copy; every alerts/*.rules.yml by default. */
  readonly ruleFiles?: readonly string[];
  /** Folder to write into (created if missing); a new temporary folder by default. */
  readonly dir?: string;
  /** Evaluation interval of every group; default "1s". */
  readonly evaluationInterval?: string;
  /** Longest `for:` kept; longer ones are cut to it. Default "5s". */
  readonly maxFor?: string;
}

export interface TestOverlay {
  /** The folder holding the overlay's rule files. */
  readonly dir: string;
  /** Absolute paths of the written rule files, one per source file, same base names. */
  readonly ruleFiles: readonly string[];
  readonly evaluationInterval: string;
  readonly maxFor: string;
  /** Deletes `dir` and everything in it. */
  remove(): void;
}

/** The overlay of one parsed rules file: group intervals set, `for:` capped, nothing else changed. */
export function overlayRuleFile(file: RuleFile, evaluationInterval: string, maxFor: string): RuleFile {
  const cap = parseDuration(maxFor);
  parseDuration(evaluationInterval);
  return {
    groups: file.groups.map((group) => ({
      ...group,
      interval: evaluationInterval,
      rules: group.rules.map((rule) =>
        rule.for !== undefined && parseDuration(rule.for) > cap ? { ...rule, for: formatDuration(cap) } : { ...rule },
      ),
    })),
  };
}

/** Writes the overlay of the rule files and returns where it is. */
export function createTestOverlay(options: TestOverlayOptions = {}): TestOverlay {
  const evaluationInterval = options.evaluationInterval ?? '1s';
  const maxFor = options.maxFor ?? '5s';
  const sources = options.ruleFiles ?? ruleFilePaths();
  if (sources.length === 0) throw new Error('createTestOverlay: no rule files to copy');
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'periscope-alerts-'));
  mkdirSync(dir, { recursive: true });
  const ruleFiles = sources.map((source) => {
    const target = join(dir, basename(source));
    const overlay = overlayRuleFile(readRuleFile(source), evaluationInterval, maxFor);
    writeFileSync(target, `# Test overlay of ${source}: interval ${evaluationInterval}, for: at most ${maxFor}.\n${stringify(overlay, { lineWidth: 0 })}`);
    return target;
  });
  return { dir, ruleFiles, evaluationInterval, maxFor, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
