/**
 * Regenerates the Kubernetes resources derived from other parts of the repo:
 * PrometheusRules (alerts/*.rules.yml), dashboard ConfigMaps (deploy/grafana/dashboards/*.json)
 * and the Alloy DaemonSet config (deploy/alloy/config.alloy).
 *
 *   node deploy/k8s/src/generate.ts          write the files (npm run k8s:generate)
 *   node deploy/k8s/src/generate.ts --check  exit 1 and list the files that are not current
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateRules } from './rules.ts';
import { generateDashboards } from './dashboards.ts';
import { generateAlloy } from './alloy.ts';
import { fromRoot, GENERATED_HEADER, PATHS, REPO_ROOT } from './sources.ts';
import type { GeneratedFile } from './generated-file.ts';
import { GenerateError } from './errors.ts';

/** Every generated file, computed from the current sources under `root`. */
export function plan(root: string): GeneratedFile[] {
  return [...generateRules(root), ...generateDashboards(root), ...generateAlloy(root)];
}

/** Generated files on disk that the plan no longer produces (e.g. for a deleted rules file). */
function staleFiles(root: string, planned: readonly GeneratedFile[]): string[] {
  const wanted = new Set(planned.map((f) => f.path));
  return [PATHS.rulesOut, PATHS.dashboardsOut, PATHS.alloyOut].flatMap((dir) => {
    const abs = fromRoot(root, dir);
    if (!existsSync(abs)) return [];
    return readdirSync(abs)
      .map((name) => `${dir}/${name}`)
      .filter((path) => !wanted.has(path) && readFileSync(fromRoot(root, path), 'utf8').startsWith(GENERATED_HEADER));
  });
}

/** Paths (repo-relative) whose content differs from the plan, is missing, or is stale. */
export function outdated(root: string): string[] {
  const planned = plan(root);
  const differing = planned
    .filter((f) => {
      const abs = fromRoot(root, f.path);
      return !existsSync(abs) || readFileSync(abs, 'utf8') !== f.content;
    })
    .map((f) => f.path);
  return [...differing, ...staleFiles(root, planned)];
}

/** Writes the plan to disk and removes stale generated files; returns the paths changed. */
export function write(root: string): string[] {
  const changed = outdated(root);
  const planned = plan(root);
  for (const path of staleFiles(root, planned)) rmSync(fromRoot(root, path));
  for (const file of planned) {
    const abs = fromRoot(root, file.path);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, file.content);
  }
  return changed;
}

function main(argv: readonly string[]): number {
  if (argv.includes('--check')) {
    const paths = outdated(REPO_ROOT);
    for (const path of paths) process.stderr.write(`not current: ${path}\n`);
    if (paths.length > 0) process.stderr.write('run `npm run k8s:generate` and commit the result\n');
    return paths.length > 0 ? 1 : 0;
  }
  const changed = write(REPO_ROOT);
  process.stdout.write(changed.length > 0 ? `updated:\n  ${changed.join('\n  ')}\n` : 'all generated files are current\n');
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof GenerateError)) throw error;
    process.stderr.write(`k8s:generate: ${error.message}\n`);
    process.exitCode = 1;
  }
}
