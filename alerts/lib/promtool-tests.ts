/** Reads the promtool unit-test files in alerts/tests/ to see which alerts they exercise. */
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { ALERTS_DIR } from './rules.ts';

/** The folder of the promtool test files. */
export const PROMTOOL_TESTS_DIR = join(ALERTS_DIR, 'tests');

/** One `alert_rule_test` entry: an alert name at a time, and the alerts expected to fire. */
export interface AlertCase {
  readonly file: string;
  readonly group: string;
  readonly alertname: string;
  readonly evalTime: string;
  readonly expected: readonly Readonly<Record<string, string>>[];
  /** Annotations expected with each alert, in the same order as `expected`. */
  readonly annotations: readonly Readonly<Record<string, string>>[];
}

interface RawTestFile {
  rule_files?: string[];
  tests?: {
    name?: string;
    alert_rule_test?: {
      alertname: string;
      eval_time: string;
      exp_alerts?: { exp_labels?: Record<string, string>; exp_annotations?: Record<string, string> }[];
    }[];
  }[];
}

/** Absolute paths of the promtool test files, sorted. */
export function promtoolTestPaths(dir: string = PROMTOOL_TESTS_DIR): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.test.yml'))
    .sort()
    .map((name) => join(dir, name));
}

/** The rule files (names inside alerts/) a test file loads. */
export function testedRuleFiles(path: string): string[] {
  const raw = parse(readFileSync(path, 'utf8')) as RawTestFile;
  return (raw.rule_files ?? []).map((file) => basename(file));
}

/** Every alert case of the given test files. */
export function alertCases(paths: readonly string[] = promtoolTestPaths()): AlertCase[] {
  return paths.flatMap((path) => {
    const raw = parse(readFileSync(path, 'utf8')) as RawTestFile;
    return (raw.tests ?? []).flatMap((group) =>
      (group.alert_rule_test ?? []).map((entry) => ({
        file: basename(path),
        group: group.name ?? '',
        alertname: entry.alertname,
        evalTime: entry.eval_time,
        expected: (entry.exp_alerts ?? []).map((alert) => ({ alertname: entry.alertname, ...alert.exp_labels })),
        annotations: (entry.exp_alerts ?? []).map((alert) => alert.exp_annotations ?? {}),
      })),
    );
  });
}
