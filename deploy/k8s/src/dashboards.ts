/**
 * Grafana dashboards as ConfigMaps for the Grafana sidecar (label `grafana_dashboard: "1"`),
 * generated from deploy/grafana/dashboards/*.json: the JSON is carried byte for byte.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { basename } from 'node:path';
import { KustomizeError } from './kustomize/types.ts';
import type { JsonObject } from './kustomize/types.ts';
import { dnsLabel } from './names.ts';
import { fromRoot, PATHS } from './sources.ts';
import { kustomizationFile, manifestText } from './generated-file.ts';
import type { GeneratedFile } from './generated-file.ts';

/** Label the Grafana sidecar watches for (kube-prometheus-stack's default `sidecar.dashboards.label`). */
export const DASHBOARD_LABEL = 'grafana_dashboard';
/** Annotation the sidecar reads as the target folder (`sidecar.dashboards.folderAnnotation`). */
export const FOLDER_ANNOTATION = 'grafana_folder';
/** Grafana folder for the Periscope dashboards. */
export const FOLDER = 'Periscope';
/**
 * Largest dashboard that `kubectl apply` (client side) can store in its last-applied annotation
 * (262144 bytes in all annotations); larger ones need `kubectl apply --server-side`.
 */
export const CLIENT_APPLY_LIMIT = 262_144;

/** Builds the ConfigMap for one dashboard (`periscope-dashboard-<file name without a periscope- prefix>`). */
export function dashboardConfigMap(source: string, text: string): JsonObject {
  try {
    JSON.parse(text);
  } catch (error) {
    throw new KustomizeError(`${source}: not valid JSON (${(error as Error).message})`);
  }
  const file = basename(source);
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: dnsLabel('periscope-dashboard', basename(file, '.json').replace(/^periscope-/, '')),
      labels: { [DASHBOARD_LABEL]: '1', 'app.kubernetes.io/name': 'periscope-dashboards' },
      annotations: { [FOLDER_ANNOTATION]: FOLDER, 'periscope.dev/source': source },
    },
    data: { [file]: text },
  };
}

/** Repo-relative paths of the dashboards, sorted. */
export function dashboardSources(root: string): string[] {
  const dir = fromRoot(root, PATHS.dashboardsDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => `${PATHS.dashboardsDir}/${name}`);
}

/** The generated dashboard ConfigMaps and their kustomization. */
export function generateDashboards(root: string): GeneratedFile[] {
  const files = dashboardSources(root).map((source) => {
    const configMap = dashboardConfigMap(source, readFileSync(fromRoot(root, source), 'utf8'));
    const name = (configMap.metadata as { name: string }).name;
    return { path: `${PATHS.dashboardsOut}/${name}.yaml`, content: manifestText(source, [configMap]) };
  });
  const listed = files.map((f) => basename(f.path));
  return [...files, kustomizationFile(PATHS.dashboardsOut, `${PATHS.dashboardsDir}/*.json`, listed)];
}
