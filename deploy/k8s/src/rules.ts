/**
 * PrometheusRule objects generated from the repo's Prometheus rule files (alerts/*.rules.yml):
 * one object per file, holding that file's groups exactly, so the rules evaluated on Kubernetes
 * are the ones promtool tests.
 */
import { basename } from 'node:path';
import { parse } from 'yaml';
import { GenerateError } from './errors.ts';
import { isObject } from './resources.ts';
import type { JsonObject } from './resources.ts';
import { dnsLabel } from './names.ts';
import { PATHS } from './sources.ts';
import { manifestPerSource, sourceFiles } from './generated-file.ts';
import type { GeneratedFile } from './generated-file.ts';

/** Builds the PrometheusRule for one rules file; `source` is its repo-relative path. */
export function prometheusRule(source: string, text: string): JsonObject {
  const doc: unknown = parse(text);
  if (!isObject(doc) || !Array.isArray(doc.groups)) {
    throw new GenerateError(`${source}: expected a Prometheus rule file with a top-level "groups" list`);
  }
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name: dnsLabel('periscope', basename(source, PATHS.rulesSuffix)),
      labels: { 'app.kubernetes.io/name': 'periscope-rules' },
      annotations: { 'periscope.dev/source': source },
    },
    spec: { groups: doc.groups },
  };
}

/** Repo-relative paths of the rule files, sorted. */
export function ruleSources(root: string): string[] {
  return sourceFiles(root, PATHS.rulesDir, PATHS.rulesSuffix);
}

/** The generated rule manifests and their kustomization. */
export function generateRules(root: string): GeneratedFile[] {
  return manifestPerSource(root, ruleSources(root), PATHS.rulesOut, prometheusRule, `${PATHS.rulesDir}/*${PATHS.rulesSuffix}`);
}
