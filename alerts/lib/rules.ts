/** Loads the Prometheus rule files of alerts/ into flat, typed rules. */
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** The alerts/ folder of this repository. */
export const ALERTS_DIR = fileURLToPath(new URL('..', import.meta.url));

interface RawRule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

interface RawGroup {
  name: string;
  interval?: string;
  rules: RawRule[];
}

/** The shape of a rules file, as Prometheus reads it. */
export interface RuleFile {
  groups: RawGroup[];
}

/** One rule, with the file and group it comes from. */
export interface LoadedRule {
  /** File name inside alerts/, e.g. "red.rules.yml". */
  readonly file: string;
  readonly group: string;
  readonly record?: string;
  readonly alert?: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** An alerting rule: `alert` is set. */
export type AlertRule = LoadedRule & { readonly alert: string };

/** Absolute paths of every *.rules.yml file in a folder (alerts/ by default), sorted. */
export function ruleFilePaths(dir: string = ALERTS_DIR): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.rules.yml'))
    .sort()
    .map((name) => join(dir, name));
}

/** Parses a rules file; throws when it has no `groups` list. */
export function readRuleFile(path: string): RuleFile {
  const parsed = parse(readFileSync(path, 'utf8')) as Partial<RuleFile> | null;
  if (!parsed || !Array.isArray(parsed.groups)) throw new Error(`${path}: expected a mapping with a "groups" list`);
  return parsed as RuleFile;
}

/** Every rule of the given files (every file in alerts/ by default). */
export function loadRules(paths: readonly string[] = ruleFilePaths()): LoadedRule[] {
  return paths.flatMap((path) =>
    readRuleFile(path).groups.flatMap((group) =>
      group.rules.map((rule) => ({
        file: basename(path),
        group: group.name,
        ...rule,
        labels: rule.labels ?? {},
        annotations: rule.annotations ?? {},
      })),
    ),
  );
}

/** The alerting rules among `rules`. */
export function alertRules(rules: readonly LoadedRule[] = loadRules()): AlertRule[] {
  return rules.filter((rule): rule is AlertRule => typeof rule.alert === 'string');
}

/** A stable name for one alerting rule: its alert name and its static labels. */
export function ruleIdentity(rule: Pick<LoadedRule, 'alert' | 'labels'>): string {
  const labels = Object.entries(rule.labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`);
  return `${rule.alert}{${labels.join(',')}}`;
}
