/** Where the launcher finds the repository's files and keeps its state. */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rotate as shiftFiles } from '@periscope/instrument/rotation';

/** The repository root (this file is demo-services/launcher/src/paths.ts). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The default state folder: `.periscope/` at the repository root (git-ignored). */
export const DEFAULT_STATE_DIR = path.join(REPO_ROOT, '.periscope');

/** The Prometheus and Alertmanager configs of the local stack. */
export const PROMETHEUS_SOURCE = path.join(REPO_ROOT, 'deploy/prometheus/prometheus.local.yml');
export const ALERTMANAGER_SOURCE = path.join(REPO_ROOT, 'deploy/alertmanager/alertmanager.yml');

/** Entry point of a demo program, e.g. `demo-services/users/src/main.ts`. */
export function entryPoint(program: string): string {
  return path.join(REPO_ROOT, 'demo-services', program, 'src/main.ts');
}

/** The folders of a state dir. */
export function stateLayout(stateDir: string) {
  return {
    logs: path.join(stateDir, 'logs'),
    spans: path.join(stateDir, 'spans'),
    config: path.join(stateDir, 'config'),
    /** file_sd target files: Prometheus scrapes whatever a file here names (see file-targets.ts). */
    targets: path.join(stateDir, 'targets'),
    prometheusData: path.join(stateDir, 'prometheus'),
    alertmanagerData: path.join(stateDir, 'alertmanager'),
  };
}

/** Creates the state dir's folders. */
export function prepareStateDir(stateDir: string): ReturnType<typeof stateLayout> {
  const layout = stateLayout(stateDir);
  for (const dir of Object.values(layout)) mkdirSync(dir, { recursive: true });
  return layout;
}

/**
 * Keeps the previous run's file as `<file>.1` (shifting older ones up to `<file>.<maxFiles>`, the
 * oldest deleted) so each run starts a fresh one and the number of files stays bounded.
 */
export function rotate(file: string, maxFiles: number): void {
  if (existsSync(file) && statSync(file).size > 0) shiftFiles(file, maxFiles);
}

/** `file` relative to the current directory when inside it (shorter in messages), else absolute. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') ? file : relative;
}
