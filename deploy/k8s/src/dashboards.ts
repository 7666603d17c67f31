/**
 * Grafana dashboards as ConfigMaps for the Grafana sidecar (label `grafana_dashboard: "1"`),
 * generated from deploy/grafana/dashboards/*.json: the JSON is carried byte for byte.
 */
import { basename } from 'node:path';
import { GenerateError } from './errors.ts';
import type { JsonObject } from './resources.ts';
import { dnsLabel } from './names.ts';
import { PATHS } from './sources.ts';
import { manifestPerSource, sourceFiles } from './generated-file.ts';
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
    throw new GenerateError(`${source}: not valid JSON (${(error as Error).message})`);
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
  return sourceFiles(root, PATHS.dashboardsDir, '.json');
}

/** The generated dashboard ConfigMaps and their kustomization. */
export function generateDashboards(root: string): GeneratedFile[] {
  return manifestPerSource(root, dashboardSources(root), PATHS.dashboardsOut, dashboardConfigMap, `${PATHS.dashboardsDir}/*.json`);
}
